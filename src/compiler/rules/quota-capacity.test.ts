import { describe, expect, it } from 'vitest';
import { nodeAllocatable } from '../linode-types.js';
import { runRules } from './index.js';
import { capacity, quotaCapacity as rule } from './quota-capacity.js';
import { env, pool, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };
const GiB = 1024 ** 3;

function setQuota(
  m: ReturnType<typeof testModel>,
  name: string,
  services: number,
  cpuMillis: number,
  memGi: number,
) {
  const q = env(m, name).quotas;
  q.services = services;
  q.perService.requests.cpu = { text: `${cpuMillis}m`, value: cpuMillis };
  q.perService.requests.memory = { text: `${memGi}Gi`, value: memGi * GiB };
}

describe('ENVC2005 quota-capacity', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });

  it("holds the default spec's sizes: production 30 × 500m on 4 × g6-dedicated-8, development 30 × 250m on 3 × g6-standard-4", () => {
    const m = testModel();
    env(m, 'production').cluster.pools = [
      pool('production', 0, { type: 'g6-dedicated-8', count: 4, autoscaler: { min: 4, max: 10 } }),
    ];
    setQuota(m, 'production', 30, 500, 1);
    env(m, 'development').cluster.pools = [pool('development', 0, { type: 'g6-standard-4', count: 3 })];
    setQuota(m, 'development', 30, 250, 0.5);
    expect(rule.check(m, ctx)).toEqual([]);
    expect(capacity(env(m, 'production')).cpuMillis).toBe(4 * 7910);
    expect(capacity(env(m, 'development')).cpuMillis).toBe(3 * 3920);
  });

  it('reports CPU beyond capacity at the quotas, naming both figures', () => {
    const m = testModel();
    setQuota(m, 'development', 30, 500, 0.25); // 15 cores vs 3 × 3920m
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.origin.path).toBe('environments.development.quotas');
    expect(f[0]?.message).toBe(
      'quota of "development" requests 15 cores (30 services × 500m) but its pools offer 11760m CPU allocatable (general (3 × g6-standard-4))',
    );
  });

  it('reports memory beyond capacity', () => {
    const m = testModel();
    setQuota(m, 'development', 10, 100, 2); // 20Gi vs 3 × ~6.1Gi
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^quota of "development" requests 20Gi memory \(10 services × 2Gi\) but its pools offer 18\.\dGi allocatable/,
      ),
    ]);
  });

  it('counts pool count, not the autoscaler max', () => {
    const m = testModel();
    const p = env(m, 'development').cluster.pools[0]!;
    p.count = 1;
    p.autoscaler = { min: 1, max: 10 };
    setQuota(m, 'development', 10, 500, 0.25); // 5 cores vs 1 × 3920m
    expect(rule.check(m, ctx)).toHaveLength(1);
  });

  it('does not count tainted (dedicated) pools, nor pools at zero', () => {
    const m = testModel();
    const e = env(m, 'development');
    e.cluster.pools.push(
      pool('development', 1, {
        name: 'gpu',
        type: 'g1-gpu-rtx6000-4',
        count: 4,
        taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      }),
      pool('development', 2, { name: 'batch', type: 'g6-standard-32', count: 0, scaleToZero: true }),
    );
    setQuota(m, 'development', 30, 500, 0.25);
    expect(capacity(e).pools).toEqual(['general (3 × g6-standard-4)']);
    expect(rule.check(m, ctx)).toHaveLength(1);
  });

  it('reports pods beyond 110 per node', () => {
    const m = testModel();
    const e = env(m, 'development');
    e.quotas.podsPerService = 40; // 10 × 40 = 400 > 330
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      'quota of "development" allows 400 pods (10 services × 40) but 3 nodes hold at most 330 (110 per node)',
    ]);
  });

  it('skips an environment with a pool of unknown plan (ENVC2007 warns instead)', () => {
    const m = testModel();
    const p = env(m, 'development').cluster.pools[0]!;
    p.type = 'g9-mystery-1';
    delete p.nodeAllocatable;
    setQuota(m, 'development', 1000, 1000, 8);
    expect(rule.check(m, ctx)).toEqual([]);
  });

  it('reports an environment whose only pool is tainted', () => {
    const m = testModel();
    env(m, 'development').cluster.pools[0]!.taints = [{ key: 'dedicated', value: 'ci', effect: 'NoExecute' }];
    expect(rule.check(m, ctx)[0]?.message).toContain('no schedulable pool');
  });

  it('sums the quotas of every app namespace: over-commit is a warning naming namespaces × quota vs allocatable', () => {
    const m = testModel();
    const e = env(m, 'development');
    // 20 × 250m = 5 cores per namespace fits 3 × 3920m alone; three namespaces are promised 15 cores.
    setQuota(m, 'development', 20, 250, 0.25);
    e.quotas.podsPerService = 5; // 3 × 100 pods fit 330
    e.namespaces = ['team-a', 'team-b', 'team-c'].map((n) => ({
      name: n,
      kind: 'app' as const,
      owner: n,
      services: [],
    }));
    // Platform namespaces hold no ResourceQuota and promise nothing.
    e.namespaces.push({ name: 'monitoring', kind: 'platform', owner: 'platform-team', services: [] });
    const f = rule.check(m, ctx);
    expect(f).toEqual([
      {
        origin: expect.objectContaining({ path: 'environments.development.quotas' }),
        severity: 'warning',
        message:
          'quotas of "development" are over-committed: its 3 app namespaces (team-a, team-b, team-c) are promised 15 cores of requests (3 namespaces × 5 cores) against 11760m CPU allocatable, 1.3× (general (3 × g6-standard-4))',
        hint: expect.stringContaining('each namespace gets the whole budget'),
      },
    ]);
    // As a diagnostic: a warning, so the compile goes on.
    const d = runRules(m, ctx).find((x) => x.code === 'ENVC2005')!;
    expect(d).toMatchObject({ severity: 'warning', line: 30, column: 7, docs: 'docs/rules/ENVC2005.md' });
    // Two namespaces (10 cores) fit: nothing to say.
    e.namespaces = e.namespaces.filter((n) => n.name !== 'team-c');
    expect(e.namespaces.filter((n) => n.kind === 'app')).toHaveLength(2);
    expect(rule.check(m, ctx)).toEqual([]);
  });

  it('reports memory and pods over-committed too, and an unholdable single quota only as the error', () => {
    const m = testModel();
    const e = env(m, 'development');
    e.namespaces = ['team-a', 'team-b'].map((n) => ({
      name: n,
      kind: 'app' as const,
      owner: n,
      services: [],
    }));
    setQuota(m, 'development', 10, 100, 1.5); // 15Gi memory each vs ~18.4Gi
    e.quotas.podsPerService = 20; // 200 pods each vs 330
    const [f] = rule.check(m, ctx);
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(
      /30Gi memory \(2 namespaces × 15Gi\) against 18\.\dGi allocatable, 1\.7×; 400 pods \(2 namespaces × 200\) against 330/,
    );
    // One quota beyond capacity: the error alone (the sum would only repeat it).
    setQuota(m, 'development', 10, 100, 2);
    expect(rule.check(m, ctx).map((x) => x.severity ?? 'error')).toEqual(['error']);
  });

  it('uses nodeAllocatable as filled in by normalize', () => {
    expect(nodeAllocatable('g6-standard-4')?.cpuMillis).toBe(3920);
  });
});
