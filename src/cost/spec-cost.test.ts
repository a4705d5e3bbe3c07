import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stateHostOf } from '../compiler/emitters/terraform/index.js';
import { buildModelFromText } from '../compiler/pipeline.js';
import { type PriceCatalogue, parseCatalogue } from './catalogue.js';
import { specCost, stateHost } from './spec-cost.js';

const SPEC = readFileSync(new URL('../../environments.yaml', import.meta.url), 'utf8');
const parsed = parseCatalogue(
  JSON.parse(readFileSync(new URL('../../test/fixtures/prices/catalogue.json', import.meta.url), 'utf8')),
);
if (!('catalogue' in parsed)) throw new Error(parsed.error);
const CAT: PriceCatalogue = parsed.catalogue;

function costOf(text: string) {
  const built = buildModelFromText(text, 'environments.yaml', { today: '2026-12-02' });
  if (!built.model) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
  return specCost(built.model, CAT, { today: '2026-12-02' });
}
const env = (text: string, name: string) => {
  const e = costOf(text).environments.find((x) => x.env === name);
  if (!e) throw new Error(`no ${name}`);
  return e;
};
/** Replaces the one occurrence of `from` after `anchor`. */
function edit(text: string, anchor: string, from: string, to: string): string {
  const a = text.indexOf(anchor);
  const i = text.indexOf(from, a);
  if (a < 0 || i < 0) throw new Error(`cannot find ${from} after ${anchor}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

describe('spec cost against the fixture catalogue', () => {
  it('prices the shipped spec per environment', () => {
    const c = costOf(SPEC);
    const by = Object.fromEntries(c.environments.map((e) => [e.env, e]));
    // development: 3 × g6-standard-4 (3 × 48) + batch 1 × g6-standard-2 (24) + postgres nanode (15)
    //   + ingress NodeBalancer (10) + volumes 20 + 10 + 20 + 10 + 10 GB at 0.10 (7) = 200;
    //   autoscalers general 3–6 and batch 1–4 → 200–416
    expect(by.development?.monthly).toBe(200);
    expect(by.development?.range).toEqual({ min: 200, max: 416 });
    // staging: 144 + postgres g6-standard-1 (30) + 10 + volumes 30 + 10 + 30 + 3 × 10 (Redis with three
    //   Sentinels) + 10 GB (11) = 195
    expect(by.staging?.monthly).toBe(195);
    // production: 4 × 144 + 1 × 350 (GPU) + HA 60 + postgres 3 × g6-dedicated-4 (408) + 10
    //   + volumes 2 × 120 + 3 × 10 + 120 + 3 × 10 + 14 GB = 434 GB (43.4) = 1447.4
    expect(by.production?.monthly).toBe(1447.4);
    expect(by.production?.range).toEqual({ min: 1447.4, max: 3011.4 });
    // system: 3 × 192 + HA 60 + 10 + volumes 2 × 60 + 3 × 10 + 60 + 10 GB (22) + Object Storage 5 = 673
    expect(by.system?.monthly).toBe(673);
    expect(c.total).toBe(2515.4);
    for (const e of c.environments) expect(e.unknown).toEqual([]);
  });

  it('a one-line GPU pool change (+2 nodes) adds 2 × the plan price', () => {
    const before = env(SPEC, 'production').monthly;
    const changed = edit(SPEC, 'name: gpu', 'count: 1', 'count: 3');
    expect(env(changed, 'production').monthly - before).toBe(2 * 350);
  });

  it('switching the HA control plane on adds its price', () => {
    const changed = edit(SPEC, '  staging:', 'highAvailability: false', 'highAvailability: true');
    const e = env(changed, 'staging');
    expect(e.monthly).toBe(195 + 60);
    expect(e.items.find((i) => i.kind === 'control-plane')?.priceKey).toBe('lke/lke-ha');
  });

  it('an LKE Enterprise cluster pays the enterprise control plane instead of HA', () => {
    const m = buildModelFromText(SPEC, 'environments.yaml', { today: '2026-12-02' }).model!;
    const prod = m.environments.find((e) => e.name === 'production')!;
    (prod.cluster as { tier?: string }).tier = 'enterprise';
    const e = specCost(m, CAT, { today: '2026-12-02', envs: ['production'] }).environments[0]!;
    expect(e.monthly).toBe(1447.4 - 60 + 300);
    expect(e.items.filter((i) => i.kind === 'control-plane').map((i) => i.priceKey)).toEqual(['lke/lke-e']);
  });

  it('a database resize costs the difference of the two cluster prices', () => {
    const changed = edit(SPEC, '  production:', 'type: g6-dedicated-4', 'type: g6-dedicated-8');
    expect(env(changed, 'production').monthly).toBe(1447.4 - 408 + 816);
  });

  it('a region with its own price overrides the base price (and falls back where it has none)', () => {
    const changed = edit(
      SPEC,
      '  staging:',
      'tier: non-production',
      'tier: non-production\n    region: br-gru',
    );
    const e = env(changed, 'staging');
    expect(e.region).toBe('br-gru');
    // 3 × 67.2 (regional) + postgres 30 (no regional price: base) + NodeBalancer 14 + 110 GB × 0.14
    expect(e.monthly).toBe(201.6 + 30 + 14 + 15.4);
    expect(e.items.find((i) => i.kind === 'node-pool')?.regional).toBe(true);
    expect(e.items.find((i) => i.kind === 'database')?.regional).toBe(false);
  });

  it('names a price the catalogue lacks instead of counting it as zero', () => {
    const changed = edit(SPEC, '  staging:', 'type: g6-standard-4', 'type: g6-dedicated-16');
    const e = env(changed, 'staging');
    expect(e.unknown).toEqual([
      { name: 'pool general: 3 × g6-dedicated-16', priceKey: 'linode/g6-dedicated-16', region: 'us-ord' },
    ]);
    expect(e.items.find((i) => i.kind === 'node-pool')?.unitMonthly).toBeUndefined();
  });

  it('puts Object Storage on the environment whose stack creates the state bucket', () => {
    const m = buildModelFromText(SPEC, 'environments.yaml', { today: '2026-12-02' }).model!;
    expect(stateHost(m)).toBe(stateHostOf(m));
    const os = costOf(SPEC).environments.filter((e) => e.items.some((i) => i.kind === 'object-storage'));
    expect(os.map((e) => e.env)).toEqual(['system']);
  });

  it('reports the catalogue date and warns when it is older than 90 days', () => {
    expect(costOf(SPEC).catalogue.stale).toBeUndefined();
    const old = specCost(buildModelFromText(SPEC, 'environments.yaml', { today: '2026-12-02' }).model!, CAT, {
      today: '2027-03-01',
      catalogueWhere: 'test',
    });
    expect(old.catalogue.stale).toMatch(/120 days old \(from 2026-11-01\).*envc prices update/);
  });
});
