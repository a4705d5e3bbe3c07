import { describe, expect, it } from 'vitest';
import type { Model, ServiceInstance } from '../model.js';
import { servicesFitQuota as rule } from './services-fit-quota.js';
import { env, o, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

/**
 * Adds copies of the test model's sample-service to development, declared after it in the spec (index 1, 2,
 * …). development's quota: 10 services × (250m / 512Mi requests, 1 CPU / 2Gi limits, 10 pods).
 */
function addCopies(m: Model, names: string[], change: Partial<ServiceInstance> = {}): ServiceInstance[] {
  const dev = env(m, 'development');
  const base = dev.services.find((s) => s.name === 'sample-service')!;
  const added = names.map((name, i) => {
    const origin = o(`services[${i + 1}]`, 200 + 10 * i, 5);
    m.serviceOrigins[name] = origin;
    return { ...structuredClone(base), name, origin, ...change };
  });
  // The model keeps an environment's services sorted by name; the rule must go by spec order instead.
  dev.services = [...dev.services, ...added].sort((a, b) => a.name.localeCompare(b.name));
  return added;
}

const copies = (n: number) => Array.from({ length: n }, (_, i) => `copy-${String(i + 1).padStart(2, '0')}`);

describe('ENVC2024 services-fit-quota', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });

  it('fits exactly quotas.services services (sample-service and 9 copies in a quota of 10)', () => {
    const m = testModel();
    addCopies(m, copies(9));
    expect(rule.check(m, ctx)).toEqual([]);
  });

  it('reports one service too many once, at the first one over in spec order (not name order)', () => {
    const m = testModel();
    // "aaa-late" sorts first by name but is declared last: it is the 11th service of namespace team-a.
    // One replica each, so the count is the only thing over.
    addCopies(m, [...copies(9), 'aaa-late', 'zzz-later'], { replicas: 1 });
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toBe(
      'service "aaa-late" does not fit the quota of namespace "team-a" in "development": with it, 11 services (sized for 10 by quotas.services)',
    );
    expect(f[0]!.origin).toEqual(o('services[10]', 290, 5));
    expect(f[0]!.hint).toContain('environments.development.quotas.services');
  });

  it('sums requests × replicas: three services of 2 × 500m overflow 2500m at the third', () => {
    const m = testModel();
    const big = { cpu: { text: '500m', value: 500 }, memory: { text: '256Mi', value: 256 * 1024 ** 2 } };
    env(m, 'development').services[0]!.resources.requests = structuredClone(big);
    addCopies(m, ['b-svc', 'c-svc']);
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'service "c-svc" does not fit the quota of namespace "team-a" in "development": with it, requests of 3 cores (quota 2500m CPU)',
    ]);
  });

  it('counts the HPA minimum when it is above replicas, for requests, limits and pods', () => {
    const m = testModel();
    // With sample-service's 2 replicas: 32 × 100m > 2500m, 32 × 256Mi > 5Gi, 32 × 500m > 10 cores; 32 pods ≤ 100.
    addCopies(m, ['hpa'], { autoscaling: { min: 30, max: 40, targetCPUUtilization: 70 } });
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'service "hpa" does not fit the quota of namespace "team-a" in "development": with it, requests of 3200m CPU (quota 2500m CPU), requests of 8Gi memory (quota 5Gi), limits of 16 cores (quota 10 cores)',
    ]);
  });

  it('reports memory limits and pods too', () => {
    const m = testModel();
    const dev = env(m, 'development');
    dev.quotas.total.pods = 3;
    dev.quotas.total.limits.memoryBytes = 1024 ** 3; // 1Gi: two pods of 512Mi
    addCopies(m, ['b-svc']);
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'service "b-svc" does not fit the quota of namespace "team-a" in "development": with it, limits of 2Gi memory (quota 1Gi), 4 pods (quota 3)',
    ]);
  });

  it('checks each owner namespace on its own: each gets the whole quota', () => {
    const m = testModel();
    const added = addCopies(m, copies(15), { replicas: 1 });
    // 16 services, 8 per namespace: each namespace holds 10.
    for (const s of added.slice(0, 8)) Object.assign(s, { owner: 'team-b', namespace: 'team-b' });
    expect(rule.check(m, ctx)).toEqual([]);
    // One more in team-b: still fits; 3 more in team-a: the 11th of team-a overflows.
    addCopies(m, ['x-1', 'x-2', 'x-3'], { replicas: 1 });
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('"x-3" does not fit the quota of namespace "team-a"');
  });

  it('checks every environment (production has its own, larger quota)', () => {
    const m = testModel();
    const prod = env(m, 'production');
    prod.quotas.services = 1;
    const copy = { ...structuredClone(prod.services[0]!), name: 'b-svc', origin: o('services[1]', 200, 5) };
    m.serviceOrigins['b-svc'] = copy.origin;
    prod.services.push(copy);
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'service "b-svc" does not fit the quota of namespace "team-a" in "production": with it, 2 services (sized for 1 by quotas.services)',
    ]);
  });
});
