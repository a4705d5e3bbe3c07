import { describe, expect, it } from 'vitest';
import { productionDataHa as rule } from './production-data-ha.js';
import { env, o, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2022 production-data-ha', () => {
  it('accepts 2+ node PostgreSQL and 2+ replica Redis in production', () => {
    const m = testModel();
    const p = env(m, 'production');
    p.dataServices.postgres!.nodes = 2;
    p.dataServices.redis = {
      replicas: 2,
      memory: { text: '1Gi', value: 1024 ** 3 },
      version: '7.4',
      origin: o('environments.production.dataServices.redis'),
    };
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports single-node production data services at each of them', () => {
    const m = testModel();
    const p = env(m, 'production');
    p.dataServices.postgres!.nodes = 1;
    p.dataServices.redis = {
      replicas: 1,
      memory: { text: '1Gi', value: 1024 ** 3 },
      version: '7.4',
      origin: o('environments.production.dataServices.redis', 36, 14),
    };
    const f = rule.check(m, ctx);
    expect(f.map((x) => [x.origin.path, x.message])).toEqual([
      [
        'environments.production.dataServices.postgres',
        'production PostgreSQL in "production" runs on 1 node, with no failover',
      ],
      [
        'environments.production.dataServices.redis',
        'production Redis in "production" runs 1 replica, with no failover',
      ],
    ]);
  });
  it('ignores non-production data services', () => {
    const m = testModel();
    env(m, 'production').dataServices.postgres!.nodes = 3;
    expect(env(m, 'development').dataServices.postgres?.nodes).toBe(1);
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
