import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, generatedHashes, hashTree, planDigest } from './digest.js';
import type { PlanJson } from './steps/show.js';

const plan = (over: Partial<PlanJson> = {}): PlanJson => ({
  format_version: '1.2',
  terraform_version: '1.11.4',
  timestamp: '2030-01-01T00:00:00Z',
  prior_state: { serial: 3 },
  configuration: { root_module: {} },
  resource_changes: [
    {
      address: 'terraform_data.b',
      mode: 'managed',
      type: 'terraform_data',
      name: 'b',
      provider_name: 'terraform.io/builtin/terraform',
      change: { actions: ['create'], before: null, after: { input: 'b' }, after_unknown: { id: true } },
    },
    {
      address: 'terraform_data.a',
      mode: 'managed',
      type: 'terraform_data',
      name: 'a',
      provider_name: 'terraform.io/builtin/terraform',
      change: { actions: ['no-op'], before: { input: 'a' }, after: { input: 'a' } },
    },
    {
      address: 'data.x.y',
      mode: 'data',
      type: 'x',
      name: 'y',
      change: { actions: ['read'], after: { t: 'now' } },
    },
  ],
  ...over,
});

const empty = { kubernetes: 'k', helm: 'h' };

describe('plan digest', () => {
  it('ignores volatile fields (time, versions, prior state, configuration), no-ops, reads and order', () => {
    const d = planDigest('production', plan(), empty);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    const other = plan({
      timestamp: '2031-05-05T00:00:00Z',
      terraform_version: '1.12.0',
      prior_state: { serial: 9 },
      configuration: {},
    });
    other.resource_changes = [...other.resource_changes!].reverse();
    other.resource_changes[1]!.change.after = { t: 'later' }; // the data read
    expect(planDigest('production', other, empty)).toBe(d);
  });

  it('changes with any planned value, the environment, or the generated files', () => {
    const d = planDigest('production', plan(), empty);
    const changed = plan();
    changed.resource_changes![0]!.change.after = { input: 'B' };
    expect(planDigest('production', changed, empty)).not.toBe(d);
    expect(planDigest('staging', plan(), empty)).not.toBe(d);
    expect(planDigest('production', plan(), { ...empty, helm: 'h2' })).not.toBe(d);
    expect(
      planDigest(
        'production',
        plan({ output_changes: { url: { actions: ['update'], before: 'a', after: 'b' } } }),
        empty,
      ),
    ).not.toBe(d);
  });

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"z":1}]},"b":1}',
    );
  });

  it('hashes the environment kubernetes and helm trees; absent trees hash as empty', async () => {
    const g = mkdtempSync(join(tmpdir(), 'envc-gen-'));
    const none = await generatedHashes(g, 'production');
    expect(none.kubernetes).toBe(none.helm);
    mkdirSync(join(g, 'kubernetes', 'production', 'ns'), { recursive: true });
    writeFileSync(join(g, 'kubernetes', 'production', 'ns', 'a.yaml'), 'a');
    mkdirSync(join(g, 'helm', 'values', 'staging'), { recursive: true });
    writeFileSync(join(g, 'helm', 'values', 'staging', 'loki.yaml'), 'x');
    const some = await generatedHashes(g, 'production');
    expect(some.kubernetes).not.toBe(none.kubernetes);
    expect(some.helm).toBe(none.helm); // staging's values do not count for production
    const before = await hashTree(join(g, 'kubernetes', 'production'));
    writeFileSync(join(g, 'kubernetes', 'production', 'ns', 'a.yaml'), 'b');
    expect(await hashTree(join(g, 'kubernetes', 'production'))).not.toBe(before);
    expect(await generatedHashes(undefined, 'production')).toEqual(none);
  });
});
