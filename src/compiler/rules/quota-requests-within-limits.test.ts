import { describe, expect, it } from 'vitest';
import { quotaRequestsWithinLimits as rule } from './quota-requests-within-limits.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2006 requests-within-limits', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a per-service request above its limit at the quotas', () => {
    const m = testModel();
    env(m, 'production').quotas.perService.limits.cpu = { text: '250m', value: 250 };
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'per-service cpu request "500m" in "production" exceeds the limit "250m"',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production.quotas');
  });
  it('reports a service request above its limit once, not per environment', () => {
    const m = testModel();
    for (const e of m.environments)
      for (const s of e.services) s.resources.limits.memory = { text: '128Mi', value: 128 * 1024 ** 2 };
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'service "sample-service" requests memory "256Mi", more than its limit "128Mi"',
    ]);
    expect(f[0]?.origin.path).toBe('services[0]');
  });
  it('accepts a request equal to the limit', () => {
    const m = testModel();
    const per = env(m, 'production').quotas.perService;
    per.limits.cpu = { ...per.requests.cpu };
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
