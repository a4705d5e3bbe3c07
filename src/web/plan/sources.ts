/**
 * The plan page's data edges: the saved plan as JSON (`terraform show -json`, cached by digest: a digest
 * names one immutable plan), and the environment's generated Kubernetes and Helm files with their baseline
 * (the same file at the git commit of the environment's last applied plan, when the spec lives in git).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gitTopLevel, showFile } from '../../runner/git.js';
import { mergePlans, type PhaseRecord } from '../../runner/phases.js';
import { type PlanJson, show } from '../../runner/steps/show.js';
import type { Terraform } from '../../runner/terraform.js';
import type { PlanRecord, Store } from '../../store/types.js';
import type { PlanJsonLike } from './changes.js';
import { type GeneratedChange, generatedChange } from './generated.js';

export function planDetailSource(
  terraform: Terraform,
  max = 20,
): (p: PlanRecord) => Promise<PlanJsonLike | undefined> {
  // Promises, so a page opened while the link's warm-up (compose.ts) still runs waits for that one `show`.
  const cache = new Map<string, Promise<PlanJsonLike | undefined>>();
  const load = async (p: PlanRecord) => {
    const summary = p.summary as { workdir?: unknown; phases?: PhaseRecord[] };
    if (typeof summary.workdir !== 'string') return undefined;
    return summary.phases
      ? await showRoots(terraform, summary.phases)
      : await show(terraform, summary.workdir, p.planPath).then(
          (r) => (r.ok ? r.value : undefined),
          () => undefined,
        );
  };
  return async (p) => {
    const hit = cache.get(p.digest);
    if (hit) return hit;
    const value = load(p);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(p.digest, value);
    // Nothing shown (no plan file, terraform failed) is not kept: the next view tries again.
    if (!(await value)) cache.delete(p.digest);
    return value;
  };
}

/**
 * A two-root plan (docs/adr/0009): each planned root's saved plan, merged like the runner merges them for the
 * digest; a deferred root has no plan yet (its configuration was approved, its plan comes at apply).
 */
async function showRoots(terraform: Terraform, roots: PhaseRecord[]): Promise<PlanJsonLike | undefined> {
  const plans: Array<{ name: string; plan: PlanJson }> = [];
  for (const r of roots) {
    if (r.deferred || !r.plan) continue;
    const s = await show(terraform, r.workdir, r.plan).catch(() => undefined);
    if (!s?.ok) return undefined;
    plans.push({ name: r.name, plan: s.value });
  }
  return mergePlans(plans);
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
  // generated/ changes only with a compile (manifest.json changes with it) and the baseline only with an apply:
  // one parse per (environment, manifest, baseline revision), not one per page view.
  const cache = new Map<string, GeneratedChange[]>();
  return async (env) => {
    const manifestText = await readFile(join(o.generatedDir, 'manifest.json'), 'utf8').catch(() => '{}');
    const applied = (await o.store.listPlans(env, 50)).find((p) => p.appliedAt && p.revision);
    const key = `${env}\0${createHash('sha256').update(manifestText).digest('hex')}\0${applied?.revision ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const manifest = JSON.parse(manifestText) as {
      files?: Record<string, { sources?: Array<{ path: string; line: number }> }>;
    };
    const files = [
      ...(await walk(join(o.generatedDir, 'kubernetes', env))),
      ...(await walk(join(o.generatedDir, 'helm', 'values', env))),
    ].sort();
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
    if (cache.size > 20) cache.clear();
    cache.set(key, out);
    return out;
  };
}
