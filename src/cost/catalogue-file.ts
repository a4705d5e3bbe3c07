/**
 * Where the catalogue comes from, and writing a new one. Order: `--prices FILE` or ENVC_PRICES, then
 * `envc-prices.json` beside the spec (what `envc prices update` writes; commit it so CI and reviewers price
 * with the same numbers), then the snapshot shipped with envc (prices/linode-snapshot.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { packagePath } from '../compiler/package-root.js';
import { type PriceCatalogue, parseCatalogue } from './catalogue.js';

export const CATALOGUE_FILE = 'envc-prices.json';
export const SNAPSHOT_PATH = 'prices/linode-snapshot.json';

export interface LoadedCatalogue {
  catalogue: PriceCatalogue;
  /** How to name it in messages: a path, or "shipped with envc". */
  where: string;
  path: string;
}

/** Where the catalogue comes from, in order: the one named, else the one beside the spec, else the snapshot. */
export function catalogueCandidates(o: {
  cwd: string;
  specPath?: string;
  explicit?: string;
}): Array<{ path: string; where: string; mustExist: boolean }> {
  if (o.explicit) {
    const p = isAbsolute(o.explicit) ? o.explicit : join(o.cwd, o.explicit);
    return [{ path: p, where: relative(o.cwd, p) || p, mustExist: true }];
  }
  const beside = join(o.specPath ? dirname(o.specPath) : o.cwd, CATALOGUE_FILE);
  return [
    { path: beside, where: relative(o.cwd, beside) || beside, mustExist: false },
    { path: packagePath(SNAPSHOT_PATH), where: 'shipped with envc', mustExist: true },
  ];
}

export function loadCatalogue(o: {
  cwd: string;
  specPath?: string;
  /** `--prices` or ENVC_PRICES. */
  explicit?: string;
}): LoadedCatalogue | { error: string } {
  for (const c of catalogueCandidates(o)) {
    if (!existsSync(c.path)) {
      if (c.mustExist) return { error: `cannot find the price catalogue ${c.where}` };
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(c.path, 'utf8'));
    } catch (err) {
      return { error: `the price catalogue ${c.where} is not valid JSON: ${(err as Error).message}` };
    }
    const parsed = parseCatalogue(data);
    if ('error' in parsed)
      return {
        error: `the price catalogue ${c.where} is not usable: ${parsed.error}; run \`envc prices update\``,
      };
    return { catalogue: parsed.catalogue, where: c.where, path: c.path };
  }
  return { error: 'no price catalogue found' };
}

/** Writes atomically (temp file + rename): a reader never sees half a catalogue. */
export async function writeCatalogue(path: string, cat: PriceCatalogue): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(cat, null, 2)}\n`, 'utf8');
  await rename(tmp, path);
}
