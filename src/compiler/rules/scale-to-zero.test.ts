import { describe, expect, it } from 'vitest';
import { scaleToZero as rule } from './scale-to-zero.js';
import { env, pool, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2017 scale-to-zero', () => {
  it('accepts a zero pool in development', () => {
    const m = testModel();
    env(m, 'development').cluster.pools.push(
      pool('development', 1, { name: 'batch', count: 0, scaleToZero: true, autoscaler: undefined }),
    );
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports scaleToZero in production at the pool', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(
      pool('production', 1, { name: 'batch', count: 0, scaleToZero: true, autoscaler: undefined }),
    );
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'pool "batch" in production environment "production" may scale to zero',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production.cluster.pools[1]');
  });
  it('reports count 0 without scaleToZero', () => {
    const m = testModel();
    env(m, 'development').cluster.pools[0]!.count = 0;
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'pool "general" in "development" has count 0 without scaleToZero',
    ]);
  });
});
