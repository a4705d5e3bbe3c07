import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Outcome, type Result, runCase } from '../fuzz/classify.js';
import { makeCase, OPERATORS } from '../fuzz/mutations.js';
import { envc, STACK_LINE } from '../support/cli.js';

/**
 * A seeded slice of the mutation campaign (`npm run fuzz` runs ≥ 10,000; docs/fuzz.md): one case per
 * operator, so every structural and semantic class is generated on every run, in this process. A failing
 * case is reproduced with `npm run fuzz -- --seed 20261202 --only <index> --write case.yaml`.
 */

const SEED = 20261202;
const BASE = readFileSync(fileURLToPath(new URL('../../environments.yaml', import.meta.url)), 'utf8');
const HANG_MS = 20_000;

describe('mutation campaign slice', () => {
  it('no crash, hang, unlocated diagnostic or wrong accept over every operator', async () => {
    const results: Result[] = [];
    for (let i = 0; i < OPERATORS.length; i++) results.push(await runCase(makeCase(SEED, i, BASE)));
    const counts: Partial<Record<Outcome, number>> = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    const bad = results
      .filter((r) => !['compiled', 'refused-located'].includes(r.outcome) || r.ms > HANG_MS)
      .map((r) => `#${r.index} ${r.op}: ${r.outcome} ${r.ms} ms ${r.detail ?? ''}`);
    expect(bad).toEqual([]);
    // The slice exercises both sides: some mutations still compile, every semantic one is refused.
    expect(counts.compiled ?? 0).toBeGreaterThan(0);
    expect(counts['refused-located'] ?? 0).toBeGreaterThan(
      OPERATORS.filter((o) => o.kind === 'semantic').length - 1,
    );
  }, 120_000);

  it('the same seed gives the same cases', () => {
    for (const i of [0, 7, 45]) expect(makeCase(SEED, i, BASE).bytes).toEqual(makeCase(SEED, i, BASE).bytes);
    expect(makeCase(SEED, 3, BASE).bytes).not.toEqual(makeCase(SEED + 1, 3, BASE).bytes);
  });

  it('through the CLI: invalid UTF-8 and an HPA with min > max exit 1 with a located error, no stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envc-fuzz-'));
    const utf8 = join(dir, 'utf8.yaml');
    const bytes = Buffer.from(BASE, 'utf8');
    const at = bytes.indexOf('Shared development');
    writeFileSync(utf8, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]));
    const r1 = envc(['validate', utf8]);
    const line = BASE.slice(0, BASE.indexOf('Shared development')).split('\n').length;
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(
      new RegExp(`error\\[ENVC0010\\][^\\n]*\\n\\s*--> \\S*utf8\\.yaml:${line}:\\d+`),
    );
    expect(r1.stderr).not.toMatch(STACK_LINE);
    const hpa = join(dir, 'hpa.yaml');
    writeFileSync(
      hpa,
      BASE.replace(
        /autoscaling:\n(\s+)(\w+): \{ min: (\d+), max: (\d+)/,
        'autoscaling:\n$1$2: { min: 50, max: 2',
      ),
    );
    const r2 = envc(['compile', hpa, '--out', join(dir, 'out')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/error\[ENVC1310\][^\n]*\n\s*--> \S*hpa\.yaml:\d+:\d+/);
    expect(r2.stderr).not.toMatch(STACK_LINE);
  }, 60_000);
});
