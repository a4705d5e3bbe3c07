/**
 * The plan page's data edges: the saved plan as JSON (`terraform show -json`, cached by digest: a digest
 * names one immutable plan), and the environment's generated Kubernetes and Helm files with their baseline
 * (the same file at the git commit of the environment's last applied plan, when the spec lives in git).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gitTopLevel, showFile } from '../../runner/git.js';
import { show } from '../../runner/steps/show.js';
import type { Terraform } from '../../runner/terraform.js';
import type { PlanRecord, Store } from '../../store/types.js';
import type { PlanJsonLike } from './changes.js';
import { type GeneratedChange, generatedChange } from './generated.js';

export function planDetailSource(
  terraform: Terraform,
  max = 20,
): (p: PlanRecord) => Promise<PlanJsonLike | undefined> {
  const cache = new Map<string, PlanJsonLike>();
  return async (p) => {
    const hit = cache.get(p.digest);
    if (hit) return hit;
    const workdir = (p.summary as { workdir?: unknown }).workdir;
    if (typeof workdir !== 'string') return undefined;
    const r = await show(terraform, workdir, p.planPath).catch(() => undefined);
    if (!r?.ok) return undefined;
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(p.digest, r.value);
    return r.value;
  };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

export function generatedSource(o: {
  generatedDir: string;
  store: Store;
  specFile: string;
}): (env: string) => Promise<GeneratedChange[]> {
  return async (env) => {
    const manifest = JSON.parse(
      await readFile(join(o.generatedDir, 'manifest.json'), 'utf8').catch(() => '{}'),
    ) as {
      files?: Record<string, { sources?: Array<{ path: string; line: number }> }>;
    };
    const files = [
      ...(await walk(join(o.generatedDir, 'kubernetes', env))),
      ...(await walk(join(o.generatedDir, 'helm', 'values', env))),
    ].sort();
    const applied = (await o.store.listPlans(env, 50)).find((p) => p.appliedAt && p.revision);
    const repo = applied ? await gitTopLevel(o.generatedDir) : undefined;
    const out: GeneratedChange[] = [];
    for (const abs of files) {
      const path = relative(o.generatedDir, abs);
      const content = await readFile(abs, 'utf8');
      const baseline =
        repo && applied?.revision ? await showFile(repo, applied.revision, relative(repo, abs)) : undefined;
      out.push(
        generatedChange(
          {
            path,
            content,
            ...(baseline !== undefined ? { baseline } : {}),
            sources: manifest.files?.[path]?.sources ?? [],
          },
          o.specFile,
        ),
      );
    }
    return out;
  };
}
