/**
 * Golden files of the default spec: generated/ itself. It is committed, reviewed in every pull request and
 * checked by `envc compile --check` in CI, so a second copy under test/golden would only drift. Each emitter's
 * golden test compares what the emitter produces for the shipped environments.yaml with the committed subtree
 * it owns (generated/terraform, generated/kubernetes, …) as a whole tree: a missing, an extra or a changed file
 * fails. After an intended change, `UPDATE_GOLDEN=1 npx vitest run <golden test>` rewrites generated/ with the
 * real compile (`node bin/envc.js compile`, manifest included); then review the diff in git.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GENERATED_DIR = join(ROOT, 'generated');
const BIN = join(ROOT, 'bin', 'envc.js');
/** Golden tests run in parallel workers: one real compile at a time writes generated/. */
const LOCK = join(ROOT, 'generated.golden-lock');

/** Files under `generated/<subtree>`, as paths relative to generated/ (`terraform/modules/…`), sorted. */
export function committedFiles(subtree: string): string[] {
  const root = join(GENERATED_DIR, subtree);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(GENERATED_DIR, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export interface GoldenDiff {
  /** Emitted but not committed. */
  missing: string[];
  /** Committed under the subtrees but no longer emitted. */
  extra: string[];
  /** Committed with other content. */
  changed: string[];
}

/** Compares emitted files with the committed subtrees they belong to (paths relative to generated/). */
export function diffWithGenerated(
  files: ReadonlyArray<{ path: string; content: string }>,
  subtrees: readonly string[],
): GoldenDiff {
  const inScope = (p: string) => subtrees.some((t) => p.startsWith(`${t}/`));
  const outside = files.filter((f) => !inScope(f.path)).map((f) => f.path);
  if (outside.length > 0) throw new Error(`files outside ${subtrees.join(', ')}: ${outside.join(', ')}`);
  const committed = new Set(subtrees.flatMap(committedFiles));
  const emitted = new Set(files.map((f) => f.path));
  return {
    missing: [...emitted].filter((p) => !committed.has(p)).sort(),
    extra: [...committed].filter((p) => !emitted.has(p)).sort(),
    changed: files
      .filter((f) => committed.has(f.path) && readFileSync(join(GENERATED_DIR, f.path), 'utf8') !== f.content)
      .map((f) => f.path)
      .sort(),
  };
}

/**
 * With UPDATE_GOLDEN=1, rewrites generated/ with the real compile of the shipped spec (the built CLI, as a
 * person would run it), one worker at a time (a second run finds the tree up to date). Without it, does nothing.
 */
export function updateGoldenIfAsked(): void {
  if (process.env.UPDATE_GOLDEN !== '1') return;
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (tries > 600) throw new Error(`${LOCK} is held; remove it if no golden update is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    const r = spawnSync(process.execPath, [BIN, 'compile'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`envc compile failed (exit ${r.status}):\n${r.stderr}`);
  } finally {
    rmdirSync(LOCK);
  }
}

/** The message of a failed golden comparison: what differs and how to accept it. */
export function describeDiff(d: GoldenDiff): string {
  const part = (what: string, xs: string[]) => (xs.length > 0 ? [`${what}: ${xs.join(', ')}`] : []);
  return [
    ...part('not in generated/', d.missing),
    ...part('in generated/ but no longer emitted', d.extra),
    ...part('differ from generated/', d.changed),
    'if intended: UPDATE_GOLDEN=1 (or `node scripts/build.mjs && node bin/envc.js compile`), then review the diff',
  ].join('\n');
}
