import { describe, expect, it } from 'vitest';
import { serviceBudget as rule } from './service-budget.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2008 service-budget', () => {
  it('passes the valid model (2 × 100m within 250m, 2 × 256Mi within 512Mi)', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports CPU over budget at the service, naming the environment', () => {
    const m = testModel();
    env(m, 'development').services[0]!.replicas = 3; // 300m > 250m, 768Mi > 512Mi
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'service "sample-service" needs 300m CPU in "development" (3 × 100m) but the per-service budget is "250m"',
      'service "sample-service" needs 768Mi memory in "development" (3 × 256Mi) but the per-service budget is "512Mi"',
    ]);
    expect(f[0]?.origin.path).toBe('services[0]');
    expect(f[0]?.hint).toContain('replicas.development');
  });
  it('counts the autoscaler min when it is above replicas', () => {
    const m = testModel();
    const s = env(m, 'production').services[0]!;
    s.autoscaling = { min: 6, max: 20, targetCPUUtilization: 70 }; // 600m > 500m
    expect(rule.check(m, ctx)[0]?.message).toContain('(6 × 100m)');
  });
  it('reports replicas above podsPerService', () => {
    const m = testModel();
    const e = env(m, 'production');
    e.quotas.podsPerService = 1;
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      'service "sample-service" runs 2 replicas in "production" but a service may run 1 pods',
    ]);
  });
  it('accepts exactly the budget', () => {
    const m = testModel();
    const s = env(m, 'production').services[0]!;
    s.replicas = 4;
    s.resources.requests.memory = { text: '256Mi', value: 256 * 1024 ** 2 }; // 4 × 256Mi = 1Gi
    s.resources.requests.cpu = { text: '125m', value: 125 }; // 500m
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
