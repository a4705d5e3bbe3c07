import { describe, expect, it } from 'vitest';
import { knownNodePlan as rule } from './known-node-plan.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2007 known-node-plan', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('warns about a misspelt pool plan with a suggestion', () => {
    const m = testModel();
    env(m, 'development').cluster.pools[0]!.type = 'g6-standrd-4';
    const f = rule.check(m, ctx);
    expect(rule.severity).toBe('warning');
    expect(f[0]?.message).toBe(
      'node pool "general" in "development" uses plan "g6-standrd-4", which envc does not know; its capacity is not checked',
    );
    expect(f[0]?.hint).toBe('did you mean "g6-standard-4"?');
    expect(f[0]?.origin.path).toBe('environments.development.cluster.pools[0]');
  });
  it('checks the postgres plan too', () => {
    const m = testModel();
    env(m, 'production').dataServices.postgres!.type = 'g6-dedicated-3';
    expect(rule.check(m, ctx)[0]?.origin.path).toBe('environments.production.dataServices.postgres');
  });
});
