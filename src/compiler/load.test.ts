import { describe, expect, it } from 'vitest';
import { loadSpec, MAX_DEPTH } from './load.js';

describe('loadSpec', () => {
  it('locates values and keys by spec path', () => {
    const text = 'a:\n  b:\n    - x: 1\n    - x: two\n';
    const { source, diagnostics } = loadSpec('s.yaml', text);
    expect(diagnostics).toEqual([]);
    expect(source!.locate(['a', 'b', 1, 'x'])).toMatchObject({ line: 4, column: 10 });
    expect(source!.locate(['a', 'b', 1, 'x'], true)).toMatchObject({ line: 4, column: 7 });
    // A path that does not exist falls back to the nearest existing parent.
    expect(source!.locate(['a', 'missing'])).toMatchObject({ line: 2, column: 3 });
  });

  it('reports a duplicate key at the second occurrence', () => {
    const { source, diagnostics } = loadSpec('s.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(source).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'ENVC0002', line: 3, column: 1, severity: 'error' });
    expect(diagnostics[0]!.message).toContain('"a"');
  });

  it('reports a YAML syntax error with its line', () => {
    const { diagnostics } = loadSpec('s.yaml', 'a:\n  b: [1, 2\nc: 3\n');
    expect(diagnostics[0]?.code).toBe('ENVC0001');
    expect(diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects an empty or comment-only file', () => {
    expect(loadSpec('s.yaml', '').diagnostics[0]?.code).toBe('ENVC0004');
    expect(loadSpec('s.yaml', '# just a comment\n\n').diagnostics[0]?.code).toBe('ENVC0004');
    expect(loadSpec('s.yaml', '---\n').diagnostics[0]?.code).toBe('ENVC0004');
  });

  it('rejects an oversized file without parsing it', () => {
    const big = `a: "${'x'.repeat(6 * 1024 * 1024)}"\n`;
    const r = loadSpec('s.yaml', big);
    expect(r.diagnostics[0]?.code).toBe('ENVC0003');
    expect(r.diagnostics[0]?.message).toMatch(/6\.0 MB/);
  });

  it('rejects deep flow nesting before the parser can overflow its stack', () => {
    const deep = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(loadSpec('s.yaml', deep).diagnostics[0]?.code).toBe('ENVC0005');
  });

  it('rejects deep block nesting', () => {
    let text = '';
    for (let i = 0; i < MAX_DEPTH + 5; i++) text += `${'  '.repeat(i)}k${i}:\n`;
    text += `${'  '.repeat(MAX_DEPTH + 5)}v: 1\n`;
    expect(loadSpec('s.yaml', text).diagnostics[0]?.code).toBe('ENVC0005');
  });

  it('rejects an alias bomb with a location', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const r = loadSpec('s.yaml', `${lines.join('\n')}\n`);
    expect(r.diagnostics[0]?.code).toBe('ENVC0006');
    expect(r.diagnostics[0]?.line).toBe(2);
  });

  it('keeps a few aliases (they are legitimate YAML)', () => {
    const r = loadSpec('s.yaml', 'base: &b { cpu: 1 }\nx: *b\ny: *b\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.source!.data).toEqual({ base: { cpu: 1 }, x: { cpu: 1 }, y: { cpu: 1 } });
  });

  it('digests the exact bytes', () => {
    const a = loadSpec('s.yaml', 'a: 1\n').source!.digest;
    const b = loadSpec('s.yaml', 'a: 1 \n').source!.digest;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });
});
