import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/compiler/limits.js';
import { loadSpec } from '../../src/compiler/load.js';
import { buildModelFromText, decodeSpec } from '../../src/compiler/pipeline.js';

/**
 * Every limit in docs/errors.md ("Limits"): just under it the spec loads, just over it the matching code is
 * reported at the place where the limit is crossed. In-process (no CLI spawn): the limits bound work, and
 * these tests are the proof that the work stays small.
 */

const BASE = readFileSync(fileURLToPath(new URL('../fixtures/invalid/_base.yaml', import.meta.url)), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
const errors = (text: string) =>
  buildModelFromText(text, 'environments.yaml', { today: '2026-12-01' }).diagnostics.filter(
    (d) => d.severity === 'error',
  );

describe('resource limits', () => {
  it('file size: more than 5 MB is ENVC0003', () => {
    const big = `${BASE}# ${'x'.repeat(LIMITS.maxBytes)}\n`;
    expect(loadSpec('environments.yaml', big).diagnostics.map((d) => d.code)).toEqual(['ENVC0003']);
  });

  it('nesting depth: flow and block nesting past 64 levels is ENVC0005 at the nesting', () => {
    const flow = `${BASE}x: ${'['.repeat(LIMITS.maxDepth + 1)}${']'.repeat(LIMITS.maxDepth + 1)}\n`;
    const [d] = loadSpec('environments.yaml', flow).diagnostics;
    expect(d).toMatchObject({ code: 'ENVC0005', line: lineOf(flow, 'x: [['), column: 4 + LIMITS.maxDepth });
    let block = `${BASE}x:\n`;
    for (let i = 0; i < LIMITS.maxDepth; i++) block += `${'  '.repeat(i + 1)}k${i}:\n`;
    block += `${'  '.repeat(LIMITS.maxDepth + 1)}v\n`;
    const [b] = loadSpec('environments.yaml', block).diagnostics;
    expect(b?.code).toBe('ENVC0005');
    expect(b!.line).toBeGreaterThan(lineOf(block, 'x:\n'));
    // Just within the limit there is no ENVC0005 (the unknown key `x` is the schema's business).
    const ok = `${BASE}x: ${'['.repeat(LIMITS.maxDepth - 2)}${']'.repeat(LIMITS.maxDepth - 2)}\n`;
    expect(loadSpec('environments.yaml', ok).diagnostics).toEqual([]);
  });

  it('alias expansion: more than 100 aliases is ENVC0006 at the first alias', () => {
    const refs = Array.from({ length: LIMITS.maxAliasCount + 1 }, () => '*a').join(', ');
    const text = `${BASE}x: &a [1]\ny: [${refs}]\n`;
    const [d] = loadSpec('environments.yaml', text).diagnostics;
    expect(d).toMatchObject({ code: 'ENVC0006', line: lineOf(text, '\ny: [') + 1, column: 5 });
  });

  it('YAML values: more than 20,000 is ENVC0011 located in the document, and is found fast', () => {
    const n = LIMITS.maxNodes;
    const groups = Array.from({ length: n }, (_, i) => `    "@g${i}": S${String(i).padStart(8, '0')}`).join(
      '\n',
    );
    const text = BASE.replace(
      'slack: { channel: "#platform-infra", approvers: ["@platform-leads"] }',
      `slack:\n  channel: "#platform-infra"\n  usergroups:\n${groups}`,
    );
    const [d] = loadSpec('environments.yaml', text).diagnostics;
    expect(d?.code).toBe('ENVC0011');
    expect(d!.line).toBeGreaterThan(lineOf(text, 'usergroups:'));
  });

  it('duplicate keys in a large mapping are found (one pass, not the parser quadratic check)', () => {
    const groups = Array.from({ length: 5000 }, (_, i) => `    "@g${i}": S1`).join('\n');
    const text = BASE.replace(
      'slack: { channel: "#platform-infra", approvers: ["@platform-leads"] }',
      `slack:\n  channel: "#platform-infra"\n  usergroups:\n${groups}\n    "@g17": S2`,
    );
    const [d] = loadSpec('environments.yaml', text).diagnostics;
    expect(d).toMatchObject({ code: 'ENVC0002', line: lineOf(text, '"@g17": S2'), column: 5 });
  });

  it('environments: more than 32 is ENVC0012 at the 33rd', () => {
    const extra = Array.from(
      { length: LIMITS.maxEnvironments },
      (_, i) => `  e${i}: { tier: non-production }`,
    ).join('\n');
    const text = BASE.replace('environments:\n', `environments:\n${extra}\n`);
    const diags = loadSpec('environments.yaml', text).diagnostics;
    expect(diags).toHaveLength(1);
    // 32 extra + staging, production, system: the 33rd declared is `staging`.
    expect(diags[0]).toMatchObject({ code: 'ENVC0012', line: lineOf(text, '  staging:'), column: 3 });
  });

  it('services: more than 300 is ENVC0013 at the 301st; 300 load', () => {
    const svc = (i: number) =>
      `  - { name: s${i}, owner: team-a, image: "ghcr.io/acme/s:1", port: 8080, environments: [staging] }`;
    const at = (n: number) =>
      BASE.replace('services:\n', `services:\n${Array.from({ length: n }, (_, i) => svc(i)).join('\n')}\n`);
    const over = at(LIMITS.maxServices);
    const [d] = loadSpec('environments.yaml', over).diagnostics;
    expect(d).toMatchObject({ code: 'ENVC0013', line: lineOf(over, '  - name: web'), column: 5 });
    expect(loadSpec('environments.yaml', at(LIMITS.maxServices - 1)).diagnostics).toEqual([]);
  });

  it('encoding: a byte that is not UTF-8 is ENVC0010 at its line and column', () => {
    const bytes = Buffer.concat([
      Buffer.from('apiVersion: envc/v1\nplatform: ac'),
      Buffer.from([0xe9]),
      Buffer.from('me\n'),
    ]);
    expect(decodeSpec(bytes, 'environments.yaml').diagnostics).toMatchObject([
      { code: 'ENVC0010', line: 2, column: 13 },
    ]);
    // Overlong encodings and surrogates are not UTF-8 either.
    expect(decodeSpec(Buffer.from([0x61, 0xc0, 0xaf]), 'f').diagnostics[0]?.column).toBe(2);
    expect(decodeSpec(Buffer.from([0xed, 0xa0, 0x80]), 'f').diagnostics[0]?.code).toBe('ENVC0010');
    expect(decodeSpec(Buffer.from('café ✓ 🚀', 'utf8'), 'f')).toEqual({ text: 'café ✓ 🚀', diagnostics: [] });
  });

  it('the base spec is within every limit', () => {
    expect(errors(BASE)).toEqual([]);
  });
});
