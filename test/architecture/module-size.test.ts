/**
 * Small modules with one job (STYLE.md): no hand-written source file over 400 lines. Generated sources
 * (`*.generated.ts`, `*.generated.js`) are exempt — they are derived from the schema and never edited.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LIMIT = 400;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mjs|js)$/.test(name) && !/\.generated\.(ts|js)$/.test(name) && !name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

describe('module size', () => {
  it(`no source file in src/ is over ${LIMIT} lines`, () => {
    const all = files(join(ROOT, 'src')).filter((f) => !/\.test\.ts$/.test(f));
    expect(all.length).toBeGreaterThan(100);
    const over = all
      .map((f) => ({
        file: relative(ROOT, f),
        lines: readFileSync(f, 'utf8').replace(/\n$/, '').split('\n').length,
      }))
      .filter((f) => f.lines > LIMIT)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(over).toEqual([]);
  });
});
