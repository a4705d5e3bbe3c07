import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GeneratedFile } from './emitters/types.js';
import { MANIFEST_PATH, ownedFiles } from './manifest.js';

/** What differs between the files a compile produces and what is on disk. */
export interface TreeDiff {
  changed: string[];
  added: string[];
  /** Files envc owned (listed in the old manifest) that the new compile no longer produces. */
  removed: string[];
  unchanged: number;
}

export function isEmptyDiff(d: TreeDiff): boolean {
  return d.changed.length + d.added.length + d.removed.length === 0;
}

/** Runs fn over items with at most `limit` in flight: a large tree must not exhaust file descriptors. */
async function eachLimited<T>(
  items: readonly T[],
  fn: (item: T) => Promise<void>,
  limit = 64,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Compares the wanted files with outDir. Only files envc owns count as removable. */
export async function diffTree(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<TreeDiff & { before: Map<string, string | undefined> }> {
  await recover(outDir);
  const owned = ownedFiles(await readIfExists(join(outDir, MANIFEST_PATH)));
  const wanted = new Set(files.map((f) => f.path));
  const diff: TreeDiff & { before: Map<string, string | undefined> } = {
    changed: [],
    added: [],
    removed: [],
    unchanged: 0,
    before: new Map(),
  };
  await eachLimited(files, async (f) => {
    const current = await readIfExists(join(outDir, f.path));
    diff.before.set(f.path, current);
    if (current === undefined) diff.added.push(f.path);
    else if (current !== f.content) diff.changed.push(f.path);
    else diff.unchanged++;
  });
  for (const p of owned) {
    if (!wanted.has(p)) {
      const current = await readIfExists(join(outDir, p));
      if (current !== undefined) {
        diff.removed.push(p);
        diff.before.set(p, current);
      }
    }
  }
  diff.changed.sort();
  diff.added.sort();
  diff.removed.sort();
  return diff;
}

async function walk(dir: string, base = dir): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, base)));
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

const TMP = '.envc-tmp';
const OLD = '.envc-old';

/**
 * A crash between the two renames below leaves `<out>.envc-old` and no `<out>`: put the old tree back.
 * A leftover temp tree is half-written by definition: drop it.
 */
async function recover(outDir: string): Promise<void> {
  const old = `${outDir}${OLD}`;
  if (!existsSync(outDir) && existsSync(old)) await rename(old, outDir);
  else if (existsSync(old)) await rm(old, { recursive: true, force: true });
  await rm(`${outDir}${TMP}`, { recursive: true, force: true });
}

/**
 * Replaces outDir atomically with the wanted files: the new tree is built beside it (files envc does not
 * own are carried over untouched), then swapped in with two renames. Unchanged trees are not rewritten.
 */
export async function writeTree(outDir: string, files: readonly GeneratedFile[]): Promise<TreeDiff> {
  const d = await diffTree(outDir, files);
  const { before: _before, ...diff } = d;
  if (isEmptyDiff(diff)) return diff;
  const tmp = `${outDir}${TMP}`;
  const old = `${outDir}${OLD}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const owned = ownedFiles(await readIfExists(join(outDir, MANIFEST_PATH)));
  const wanted = new Set(files.map((f) => f.path));
  const dirs = new Set<string>();
  for (const f of files) dirs.add(dirname(join(tmp, f.path)));
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  await eachLimited(files, (f) => writeFile(join(tmp, f.path), f.content));
  // Carry over what envc does not own (a hand-written README, a .gitkeep): never touched, never lost.
  for (const p of await walk(outDir)) {
    if (owned.has(p) || wanted.has(p)) continue;
    const dest = join(tmp, p);
    await mkdir(dirname(dest), { recursive: true });
    await link(join(outDir, p), dest).catch(() => copyFile(join(outDir, p), dest));
  }
  const hadOld = existsSync(outDir);
  if (hadOld) await rename(outDir, old);
  await rename(tmp, outDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
  return diff;
}
