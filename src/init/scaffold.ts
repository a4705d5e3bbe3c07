/**
 * `envc init`: plan the files to write (the starter spec, and the CI workflows rendered from the spec's
 * model), refuse when any of them exists unless forced, then write them. The plan is a pure value; only
 * `writeScaffold` touches the disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { hasErrors } from '../compiler/diagnostics/diagnostic.js';
import { packagePath } from '../compiler/package-root.js';

export interface ScaffoldFile {
  /** Relative to the target directory. */
  path: string;
  content: string;
}

export interface ScaffoldOptions {
  dir: string;
  ci?: 'github';
  /** Keep an existing environments.yaml and only write the workflows. */
  ciOnly: boolean;
  force: boolean;
  specFile: string;
  defaultBranch: string;
}

export type ScaffoldPlan =
  | { ok: true; files: ScaffoldFile[] }
  | { ok: false; reason: 'exists'; existing: string[] }
  | { ok: false; reason: 'invalid-spec'; diagnostics: Diagnostic[]; text: string };

export function starterSpec(): string {
  return readFileSync(packagePath('templates/init/environments.yaml'), 'utf8');
}

export async function planScaffold(opts: ScaffoldOptions): Promise<ScaffoldPlan> {
  const files: ScaffoldFile[] = [];
  let specText: string;
  if (opts.ciOnly) {
    specText = readFileSync(join(opts.dir, opts.specFile), 'utf8');
  } else {
    specText = starterSpec();
    files.push({ path: opts.specFile, content: specText });
  }
  if (opts.ci === 'github') {
    const { buildModelFromText } = await import('../compiler/pipeline.js');
    const built = buildModelFromText(specText, opts.specFile);
    if (!built.model || hasErrors(built.diagnostics))
      return { ok: false, reason: 'invalid-spec', diagnostics: built.diagnostics, text: specText };
    const { renderWorkflows } = await import('./render.js');
    files.push(
      ...renderWorkflows(built.model, { specFile: opts.specFile, defaultBranch: opts.defaultBranch }),
    );
  }
  const existing = files.map((f) => f.path).filter((p) => existsSync(join(opts.dir, p)));
  if (existing.length > 0 && !opts.force) return { ok: false, reason: 'exists', existing };
  return { ok: true, files };
}

export async function writeScaffold(dir: string, files: readonly ScaffoldFile[]): Promise<void> {
  for (const f of files) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
}
