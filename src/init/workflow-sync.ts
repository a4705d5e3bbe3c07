/**
 * The CI workflows `envc init --ci github` wrote are derived from the spec (environments, schedules), so
 * they go stale when the spec changes — a fifth environment that CI never applies. Once a repository has
 * them (`.github/workflows/envc-*.yml` beside the spec), `envc compile` rewrites them and `compile --check`
 * fails while they differ. The branch pushes apply from is read back from envc-apply.yml.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Model } from '../compiler/model.js';

export interface WorkflowState {
  path: string;
  status: 'changed' | 'missing';
  content: string;
}

const WORKFLOWS = join('.github', 'workflows');

/** Workflows that differ from what the spec renders to; undefined when the repository has none. */
export async function staleWorkflows(
  repoDir: string,
  model: Model,
  specFile: string,
): Promise<WorkflowState[] | undefined> {
  const dir = join(repoDir, WORKFLOWS);
  if (!existsSync(dir)) return undefined;
  const present = readdirSync(dir).filter((f) => /^envc-.*\.yml$/.test(f));
  if (present.length === 0) return undefined;
  const apply = join(dir, 'envc-apply.yml');
  const branch = existsSync(apply)
    ? (/branches:\s*\[\s*"?([^\]",\s]+)"?\s*\]/.exec(readFileSync(apply, 'utf8'))?.[1] ?? 'main')
    : 'main';
  const { renderWorkflows } = await import('./render.js');
  const out: WorkflowState[] = [];
  for (const w of renderWorkflows(model, { specFile, defaultBranch: branch })) {
    const target = join(repoDir, w.path);
    if (!existsSync(target)) out.push({ path: w.path, status: 'missing', content: w.content });
    else if (readFileSync(target, 'utf8') !== w.content)
      out.push({ path: w.path, status: 'changed', content: w.content });
  }
  return out;
}

export async function writeWorkflows(repoDir: string, states: readonly WorkflowState[]): Promise<void> {
  for (const s of states) {
    const target = join(repoDir, s.path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    await writeFile(tmp, s.content);
    const { rename } = await import('node:fs/promises');
    await rename(tmp, target);
  }
}
