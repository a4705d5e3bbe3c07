import { describe, expect, it } from 'vitest';
import { autoscalerBounds as rule } from './autoscaler-bounds.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2018 autoscaler-bounds', () => {
  it('passes the valid model, including count equal to either bound', () => {
    const m = testModel();
    expect(rule.check(m, ctx)).toEqual([]);
    env(m, 'development').cluster.pools[0]!.count = 6;
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports min above max at the pool', () => {
    const m = testModel();
    env(m, 'production').cluster.pools[0]!.autoscaler = { min: 5, max: 4 };
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'pool "general" in "production" has autoscaler min 5 above max 4',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production.cluster.pools[0]');
  });
  it('reports a count below min and above max with the fix', () => {
    const m = testModel();
    env(m, 'development').cluster.pools[0]!.count = 2;
    env(m, 'production').cluster.pools[0]!.count = 7;
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'pool "general" in "development" has count 2 outside its autoscaler range 3–6',
      'pool "general" in "production" has count 7 outside its autoscaler range 3–6',
    ]);
    expect(f[0]?.hint).toContain('count: 3');
    expect(f[1]?.hint).toContain('count: 6');
  });
  it('ignores pools without autoscaler', () => {
    const m = testModel();
    const p = env(m, 'development').cluster.pools[0]!;
    delete p.autoscaler;
    p.count = 50;
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
