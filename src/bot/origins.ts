/**
 * Which spec line caused a planned change: generated/manifest.json keeps, for every generated Terraform
 * file, the resource addresses it creates and the spec location of each (the emitters' source map). A plan
 * address maps to the most specific recorded address that equals it or contains it
 * (`module.cluster.linode_lke_cluster.this` for `module.cluster.linode_lke_cluster.this`, `module.network`
 * entries for a resource inside that module).
 */
export type OriginLookup = (env: string, address: string) => string | undefined;

interface Source {
  resource: string;
  path: string;
  line: number;
}

export function originLookup(manifestText: string | undefined, specFile: string): OriginLookup {
  const byEnv = new Map<string, Source[]>();
  if (manifestText) {
    try {
      const m = JSON.parse(manifestText) as { files?: Record<string, { sources?: Source[] }> };
      for (const [file, entry] of Object.entries(m.files ?? {})) {
        const env = file.match(/^terraform\/environments\/([^/]+)\//)?.[1];
        if (!env) continue;
        byEnv.set(env, [...(byEnv.get(env) ?? []), ...(entry.sources ?? [])]);
      }
    } catch {
      // A damaged manifest only costs the origins.
    }
  }
  return (env, address) => {
    const sources = byEnv.get(env);
    if (!sources) return undefined;
    const base = address.replace(/\[[^\]]*\]$/, '');
    const candidates = sources.filter(
      (s) => s.resource === address || s.resource === base || address.startsWith(`${s.resource}.`),
    );
    if (candidates.length === 0) return undefined;
    // Most specific address first; among equals, the first line (the environment or the block itself).
    candidates.sort((a, b) => b.resource.length - a.resource.length || a.line - b.line);
    const c = candidates[0]!;
    return `${specFile}:${c.line} ${c.path}`;
  };
}
