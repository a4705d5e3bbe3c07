/**
 * The model of a spec, remembered for the commands that only read it beside the store (`approvals list`,
 * `rotate --status`): building it loads the YAML parser, the schema validator and the normalizer, three times
 * what the store read costs (issue 13: a store read answers within 2× `envc --version`).
 *
 * An entry is the JSON of a model that built with no error, named by a hash of everything the build read:
 * the spec's text, the day (rules about dates), the price catalogue in effect and this build of envc (the
 * bundle's own id, written by scripts/build.mjs; from sources, as under vitest, there is none and nothing is
 * cached). Only commands that say they only read (`readOnly`) use it; the others (compile, plan, apply, the
bot, rotations) always build. A missing, unreadable or stale
 * entry is rebuilt; writing one is best effort and atomic (a reader never sees half a file).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuildResult } from '../compiler/pipeline.js';
import { catalogueCandidates } from '../cost/catalogue-file.js';

/** This build's id: dist/build-id.txt beside dist/chunks (none when running from sources). */
function buildId(): string | undefined {
  try {
    return readFileSync(new URL('../build-id.txt', import.meta.url), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What else the build reads: the price catalogue the budget rule uses, found as the build finds it (relative
 * to the process's directory, like src/compiler/pipeline.ts).
 */
function pricesPart(specPath: string, env: NodeJS.ProcessEnv): string {
  const found = catalogueCandidates({ cwd: process.cwd(), specPath, explicit: env.ENVC_PRICES }).find((c) =>
    existsSync(c.path),
  );
  return found ? `${found.path}\0${readFileSync(found.path, 'utf8')}` : '';
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
  /** The command only reads the model, so a cached one may answer; otherwise this is buildModel. */
  readOnly?: boolean;
}

/**
 * buildModel, answered from the cache when this build of envc built this spec today: `cached` says which.
 * Diagnostics of a cached entry are empty (it had no errors; warnings are `envc validate`'s to show).
 */
export async function buildModelCached(o: CachedBuildOptions): Promise<BuildResult & { cached: boolean }> {
  const id = o.readOnly && o.env.ENVC_MODEL_CACHE !== '0' ? (o.buildId ?? buildId()) : undefined;
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const entryOf = (text: string) =>
    id
      ? join(
          o.cwd,
          '.envc',
          'cache',
          `model-${createHash('sha256')
            .update([id, o.displayName, today, text, pricesPart(o.specPath, o.env)].join('\0'))
            .digest('hex')
            .slice(0, 32)}.json`,
        )
      : undefined;
  if (id) {
    try {
      const entry = entryOf(await readFile(o.specPath, 'utf8'));
      return { model: JSON.parse(await readFile(entry!, 'utf8')), diagnostics: [], cached: true };
    } catch {}
  }
  // A miss: read the spec as buildModel does (size and kind checks) and file the model under the text that
  // was built, not the one looked up (the file may have changed in between).
  const { readSpec, buildModelOfSpec } = await import('../compiler/pipeline.js');
  const read = await readSpec(o.specPath, o.displayName);
  if (read.text === undefined) return { diagnostics: read.diagnostics, cached: false };
  const built = buildModelOfSpec(read.text, o.specPath, { displayName: o.displayName, today });
  const { hasErrors } = await import('../compiler/diagnostics/diagnostic.js');
  const file = entryOf(read.text);
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
