/** Bring-up nodes of an ArgoCD sync: the kinds, namespaces and Secrets the synced objects need and produce. Pure. */
import { type BringUpNode, envOrigin, type Need } from './bringup-graph.js';
import { BUILT_IN_KINDS } from './charts.js';
import { CODES } from './diagnostics.js';
import type { K8sObject, PlatformFacts } from './facts.js';

/** The kinds, namespaces and Secrets an ArgoCD sync of one environment needs and produces. */
export function syncNodes(
  facts: PlatformFacts,
  env: string,
  objects: K8sObject[],
  step: number,
): BringUpNode[] {
  const nodes: BringUpNode[] = [];
  const origin = envOrigin(facts, env);
  const groups = new Map<string, K8sObject[]>();
  for (const o of objects) {
    const target = /\/argocd\.ya?ml$/.test(o.file) ? 'system' : env;
    const key = `${target}|${o.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const [key, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [target, kind] = key.split('|') as [string, string];
    const needs: Need[] = [];
    const provides: string[] = [];
    if (!BUILT_IN_KINDS.has(kind))
      needs.push({
        key: `crd:${target}:${kind}`,
        blocking: true,
        code: CODES.crdMissing,
        what: `ArgoCD applies ${list.length} ${kind} object(s) (${list[0]!.file})`,
      });
    for (const o of list) {
      if (kind === 'Namespace') provides.push(`ns:${target}/${o.name}`);
      else if (o.namespace)
        needs.push({
          key: `ns:${target}/${o.namespace}`,
          blocking: true,
          code: CODES.namespaceMissing,
          what: `ArgoCD applies ${kind} ${o.namespace}/${o.name}`,
        });
      if (kind === 'SealedSecret') {
        const sealed = ((o.raw.spec as Record<string, unknown> | undefined)?.encryptedData ?? {}) as object;
        provides.push(`sealed:${target}/${o.namespace}/${o.name}`);
        if (Object.keys(sealed).length > 0) provides.push(`secret:${target}/${o.namespace}/${o.name}`);
        needs.push({
          key: `controller:${target}:sealed-secrets`,
          blocking: false,
          code: CODES.prerequisiteMissing,
          what: `the SealedSecret ${o.namespace}/${o.name} is unsealed by the Sealed Secrets controller`,
        });
      }
      if (kind === 'Secret') provides.push(`secret:${target}/${o.namespace}/${o.name}`);
      for (const s of podSecrets(o))
        needs.push({
          key: `secret:${target}/${o.namespace}/${s}`,
          blocking: false,
          code: CODES.secretMissing,
          what: `${kind} ${o.namespace}/${o.name} mounts the Secret ${s}`,
        });
    }
    needs.push(
      { key: 'argocd', blocking: true, code: CODES.prerequisiteMissing, what: 'ArgoCD runs the sync' },
      {
        key: `registered:${env}`,
        blocking: true,
        code: CODES.prerequisiteMissing,
        what: `ArgoCD needs ${env}'s cluster registered`,
      },
    );
    nodes.push({
      id: `sync:${env}:${key}`,
      step,
      env,
      title: `ArgoCD applies ${kind} (${target})`,
      provides,
      needs,
      after: [],
      origin,
    });
  }
  return nodes;
}

/** Secret names a workload reads through env, envFrom or volumes. */
function podSecrets(o: K8sObject): string[] {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind)) return [];
  const out = new Set<string>();
  const walk = (v: unknown, parent: string) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, parent);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const rec = v as Record<string, unknown>;
    if (
      (parent === 'secretKeyRef' || parent === 'secretRef') &&
      typeof rec.name === 'string' &&
      rec.optional !== true
    )
      out.add(rec.name);
    if (parent === 'secret' && typeof rec.secretName === 'string' && rec.optional !== true)
      out.add(rec.secretName);
    for (const [k, c] of Object.entries(rec)) walk(c, k);
  };
  walk(o.raw.spec, '');
  return [...out];
}
