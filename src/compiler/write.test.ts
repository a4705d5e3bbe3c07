import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffTree, writeTree } from './write.js';

const manifest = (paths: string[]) => ({
  path: 'manifest.json',
  content: JSON.stringify({
    generatedBy: 'envc',
    files: Object.fromEntries(paths.map((p) => [p, { sha256: 'x', sources: [] }])),
  }),
});

function tree(files: Record<string, string>) {
  const list = Object.entries(files).map(([path, content]) => ({ path, content }));
  return [...list, manifest(Object.keys(files))];
}

describe('writeTree', () => {
  it('writes, then removes stale owned files and keeps files it does not own', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'envc-write-')), 'generated');
    await writeTree(out, tree({ 'a/one.tf': '1\n', 'b/two.yaml': '2\n' }));
    writeFileSync(join(out, 'NOTES.md'), 'mine\n');
    mkdirSync(join(out, 'a', 'custom'), { recursive: true });
    writeFileSync(join(out, 'a', 'custom', 'extra.tf'), 'mine too\n');
    const d = await writeTree(out, tree({ 'a/one.tf': '1 changed\n', 'c/three.json': '3\n' }));
    expect(d).toMatchObject({
      changed: ['a/one.tf', 'manifest.json'],
      added: ['c/three.json'],
      removed: ['b/two.yaml'],
    });
    expect(existsSync(join(out, 'b/two.yaml'))).toBe(false);
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(out, 'a/custom/extra.tf'), 'utf8')).toBe('mine too\n');
    expect(readFileSync(join(out, 'a/one.tf'), 'utf8')).toBe('1 changed\n');
    expect(existsSync(`${out}.envc-tmp`)).toBe(false);
    expect(existsSync(`${out}.envc-old`)).toBe(false);
  });

  it('does not rewrite an unchanged tree', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'envc-write-')), 'generated');
    const files = tree({ 'x.tf': 'x\n' });
    await writeTree(out, files);
    const before = statSync(join(out, 'x.tf'));
    const d = await writeTree(out, files);
    expect(d.unchanged).toBe(2);
    expect(statSync(join(out, 'x.tf')).ino).toBe(before.ino);
  });

  it('puts the old tree back after a crash between the two renames', async () => {
    const base = mkdtempSync(join(tmpdir(), 'envc-write-'));
    const out = join(base, 'generated');
    await writeTree(out, tree({ 'x.tf': 'old\n' }));
    // Simulate the crash: the old tree was moved aside and the new one never arrived.
    const { renameSync } = await import('node:fs');
    renameSync(out, `${out}.envc-old`);
    mkdirSync(`${out}.envc-tmp`);
    writeFileSync(join(`${out}.envc-tmp`, 'x.tf'), 'half');
    const d = await diffTree(out, tree({ 'x.tf': 'old\n' }));
    expect(d.changed).toEqual([]);
    expect(readFileSync(join(out, 'x.tf'), 'utf8')).toBe('old\n');
    expect(existsSync(`${out}.envc-tmp`)).toBe(false);
  });

  it('treats files without a manifest as not owned', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'envc-write-')), 'generated');
    mkdirSync(out);
    writeFileSync(join(out, 'handwritten.tf'), 'keep\n');
    const d = await writeTree(out, tree({ 'x.tf': 'x\n' }));
    expect(d.removed).toEqual([]);
    expect(readFileSync(join(out, 'handwritten.tf'), 'utf8')).toBe('keep\n');
  });
});
