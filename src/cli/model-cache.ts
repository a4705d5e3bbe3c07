/**
 * The model of a spec, remembered for the commands that only read it beside the store (`approvals list`,
 * `rotate --status`): building it loads the YAML parser, the schema validator and the normalizer, three times
 * what the store read costs (issue 13: a store read answers within 2× `envc --version`).
 *
 * An entry is the JSON of a model that built with no error, named by a hash of everything the build read:
 * the spec's text, the day (rules about dates), the price catalogue in effect and this build of envc (the
 * bundle's own id, written by scripts/build.mjs; from sources, as under vitest, there is none and nothing is
 * cached). Commands that change anything (compile, plan, apply) always build. A missing, unreadable or stale
 * entry is rebuilt; writing one is best effort and atomic (a reader never sees half a file).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { BuildResult } from '../compiler/pipeline.js';
import { CATALOGUE_FILE } from '../cost/catalogue-file.js';

/** dist/build-id.txt, from the bundle (chunks live in dist/chunks). */
function buildId(): string | undefined {
  for (const rel of ['../build-id.txt', './build-id.txt']) {
    const url = new URL(rel, import.meta.url);
    if (url.pathname.includes('/src/')) return undefined;
    try {
      return readFileSync(url, 'utf8').trim() || undefined;
    } catch {}
  }
  return undefined;
}

/**
 * What else the build read: the price catalogue the budget rule uses (ENVC_PRICES, else the one beside the
 * spec; the snapshot shipped with envc is part of the build).
 */
function pricesPart(cwd: string, specPath: string, env: NodeJS.ProcessEnv): string {
  const path = env.ENVC_PRICES
    ? isAbsolute(env.ENVC_PRICES)
      ? env.ENVC_PRICES
      : join(cwd, env.ENVC_PRICES)
    : join(dirname(specPath), CATALOGUE_FILE);
  return existsSync(path) ? `${path}\0${readFileSync(path, 'utf8')}` : path;
}

/** Entries kept: a new one is written once per spec edit, day or envc build, so old ones only pile up. */
export const KEEP_ENTRIES = 8;

/** Removes all but the newest KEEP_ENTRIES entries (the one just written always stays). */
async function prune(dir: string, keep: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => /^model-[0-9a-f]+\.json$/.test(n));
  if (names.length <= KEEP_ENTRIES) return;
  const dated = await Promise.all(
    names.map(async (n) => ({ path: join(dir, n), at: (await stat(join(dir, n))).mtimeMs })),
  );
  dated.sort((a, b) => b.at - a.at);
  for (const old of dated.slice(KEEP_ENTRIES)) if (old.path !== keep) await unlink(old.path).catch(() => {});
}

export interface CachedBuildOptions {
  specPath: string;
  displayName: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The day the rules judge dates by (YYYY-MM-DD); today by default. */
  today?: string;
  /** This build of envc; by default the bundle's (none from sources: no cache). */
  buildId?: string;
}

/**
 * buildModel, answered from the cache when this build of envc built this spec today: `cached` says which.
 * Diagnostics of a cached entry are empty (it had no errors; warnings are `envc validate`'s to show).
 */
export async function buildModelCached(o: CachedBuildOptions): Promise<BuildResult & { cached: boolean }> {
  const id = o.env.ENVC_MODEL_CACHE === '0' ? undefined : (o.buildId ?? buildId());
  let text: string | undefined;
  try {
    text = await readFile(o.specPath, 'utf8');
  } catch {}
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const key =
    id && text !== undefined
      ? createHash('sha256')
          .update([id, o.displayName, today, text, pricesPart(o.cwd, o.specPath, o.env)].join('\0'))
          .digest('hex')
          .slice(0, 32)
      : undefined;
  const file = key ? join(o.cwd, '.envc', 'cache', `model-${key}.json`) : undefined;
  if (file) {
    try {
      const model = JSON.parse(await readFile(file, 'utf8'));
      return { model, diagnostics: [], cached: true };
    } catch {}
  }
  const { buildModel } = await import('../compiler/pipeline.js');
  const built = await buildModel(o.specPath, { displayName: o.displayName, today });
  const { hasErrors } = await import('../compiler/diagnostics/diagnostic.js');
  if (file && built.model && !hasErrors(built.diagnostics)) {
    try {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(built.model));
      await rename(tmp, file);
      await prune(dirname(file), file);
    } catch {
      // A read-only checkout still answers; it only answers more slowly.
    }
  }
  return { ...built, cached: false };
}
