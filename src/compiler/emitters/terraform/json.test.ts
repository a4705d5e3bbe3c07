import { describe, expect, it } from 'vitest';
import { formatJson } from './json.js';

describe('formatJson', () => {
  it('keeps short lists of plain values on one line and nests objects', () => {
    expect(formatJson({ a: ['x', 'y'], b: { c: 1 }, d: [], e: {} })).toBe(
      '{\n  "a": ["x", "y"],\n  "b": {\n    "c": 1\n  },\n  "d": [],\n  "e": {}\n}\n',
    );
  });

  it('breaks lists of objects and over-long lists over lines', () => {
    const long = Array.from({ length: 12 }, (_, i) => `203.0.113.${i}/32`);
    const out = formatJson({ rules: [{ a: 1 }], cidrs: long });
    expect(out).toContain('"rules": [\n    {\n      "a": 1\n    }\n  ]');
    expect(out.split('\n').filter((l) => l.includes('203.0.113.')).length).toBe(12);
  });

  it('is JSON that parses back to the same value (strings with quotes and escapes included)', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform syntax as test data, not a JS template
    const v = { s: 'say "hi" \\ ${x}\n', n: [1, 2.5, null, true], o: { k: ['a'] } };
    expect(JSON.parse(formatJson(v))).toEqual(v);
  });

  it('drops undefined properties as JSON.stringify does', () => {
    expect(JSON.parse(formatJson({ a: undefined, b: 1 }))).toEqual({ b: 1 });
  });
});
