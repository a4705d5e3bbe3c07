import { describe, expect, it } from 'vitest';
import { serviceDataServices as rule } from './service-data-services.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2022 service-data-services', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a data service missing in one environment, at the service', () => {
    const m = testModel();
    for (const e of m.environments) for (const s of e.services) s.dataServices = ['postgres', 'redis'];
    env(m, 'production').dataServices.redis = { replicas: 1, memory: { text: '1Gi', value: 1024 ** 3 }, version: '7.4', origin: env(m, 'production').origin };
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual(['service "sample-service" uses redis but "development" declares no redis']);
    expect(f[0]?.origin.path).toBe('services[0]');
  });
});
