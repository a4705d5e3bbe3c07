/**
 * docs/security.md names, for every trust boundary, the tests that prove it (`- test: <file> :: <title>`).
 * A renamed or deleted test breaks the claim: this fails until the page is updated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const page = readFileSync(resolve(ROOT, 'docs/security.md'), 'utf8');
const refs = [...page.matchAll(/^- test: (\S+) :: (.+)$/gm)].map((m) => ({ file: m[1]!, title: m[2]! }));

/** A test title as written in source: it('…') / it.each(…)('…') / test('…'), any quote. */
function declares(source: string, title: string): boolean {
  return ["'", '"', '`'].some((q) => source.includes(`(${q}${title}${q}`));
}

describe('docs/security.md', () => {
  it('covers every trust boundary, each with at least one test', () => {
    const sections = page.split(/^### /m).slice(1);
    const names = sections.map((s) => s.split('\n')[0]!.trim());
    for (const b of ['Slack', 'CLI and CI', 'bot → clusters', 'ArgoCD', 'Linode API', 'runner → Terraform'])
      expect(
        names.some((n) => n.includes(b)),
        b,
      ).toBe(true);
    for (const s of sections) expect(s.includes('- test: '), s.split('\n')[0]).toBe(true);
  });

  it.each(refs.map((r) => [`${r.file} :: ${r.title}`, r] as const))('%s exists', (_label, r) => {
    const path = resolve(ROOT, r.file);
    expect(existsSync(path), r.file).toBe(true);
    expect(declares(readFileSync(path, 'utf8'), r.title), r.title).toBe(true);
  });
});
