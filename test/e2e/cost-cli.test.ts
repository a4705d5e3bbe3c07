import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/cli/main.js';

const SPEC = readFileSync(new URL('../../environments.yaml', import.meta.url), 'utf8');
const FIXTURE = readFileSync(new URL('../fixtures/prices/catalogue.json', import.meta.url), 'utf8');

function dir(spec = SPEC, catalogue = FIXTURE) {
  const d = mkdtempSync(join(tmpdir(), 'envc-cost-'));
  writeFileSync(join(d, 'environments.yaml'), spec);
  writeFileSync(join(d, 'envc-prices.json'), catalogue);
  return d;
}
const run = (cwd: string, args: string[]) => execute(['cost', ...args], { cwd, env: { NO_COLOR: '1' } });

describe('envc cost', () => {
  it('prints every environment with its items and the total (envc-prices.json beside the spec)', async () => {
    const r = await run(dir(), []);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^production \(us-ord\) {2}\$1,447\.40\/mo \(autoscaling \$1,447\.40–\$3,011\.40\)$/m,
    );
    expect(r.stdout).toMatch(/^ {6}\$350\.00 {2}pool gpu: 1 × g2-gpu-rtx4000a1-s$/m);
    expect(r.stdout).toMatch(/^total {2}\$2,515\.40\/mo/m);
    expect(r.stdout).toContain('prices of 2026-11-01 (envc-prices.json)');
  });

  it('--env and --json select and shape the data', async () => {
    const r = await run(dir(), ['--env', 'staging', '--json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout ?? '');
    expect(j.environments.map((e: { env: string }) => e.env)).toEqual(['staging']);
    expect(j.total).toBe(195);
    expect(j.catalogue).toMatchObject({ date: '2026-11-01', where: 'envc-prices.json' });
  });

  it('exits 1 over budget, naming it (and validate reports ENVC2025 at the line)', async () => {
    const spec = SPEC.replace(
      '    protected: true\n',
      '    protected: true\n    budget: { monthly: 1000 }\n',
    );
    const d = dir(spec);
    const r = await run(d, ['--env', 'production']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('budget $1,000.00 (145%) OVER');
    expect(r.stderr).toMatch(
      /environments\.yaml:\d+:\d+ error ENVC2025 environment "production" costs \$1,447\.40 a month/,
    );
    const v = await execute(['validate', 'environments.yaml'], { cwd: d, env: { NO_COLOR: '1' } });
    expect(v.exitCode).toBe(1);
    expect(v.stderr).toContain('ENVC2025');
  });

  it('names unknown prices and exits 1; warns about a catalogue older than 90 days', async () => {
    const old = FIXTURE.replace('"date": "2026-11-01"', '"date": "2020-01-01"').replace(
      /\s*"linode\/g2-gpu-rtx4000a1-s": \{[^}]*\},/,
      '',
    );
    const r = await run(dir(SPEC, old), ['--env', 'production']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('pool gpu: 1 × g2-gpu-rtx4000a1-s  no price in the catalogue');
    expect(r.stdout).toContain(
      'unknown price: pool gpu: 1 × g2-gpu-rtx4000a1-s (linode/g2-gpu-rtx4000a1-s in us-ord)',
    );
    expect(r.stderr).toMatch(
      /^warning: the price catalogue envc-prices\.json is \d+ days old \(from 2020-01-01\); .*envc prices update/m,
    );
  });

  it('a broken catalogue or an unknown environment is a clear message, not a stack trace', async () => {
    const bad = await run(dir(SPEC, '{"format":"envc-prices/v1","currency":"EUR"}'), []);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(
      'envc: the price catalogue envc-prices.json is not usable: currency is "EUR"; envc prices in USD; run `envc prices update`\n',
    );
    const unknown = await run(dir(), ['--env', 'prod']);
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('unknown environment "prod" — did you mean "production"?');
  });
});
