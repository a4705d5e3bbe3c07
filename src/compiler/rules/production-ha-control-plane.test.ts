import { describe, expect, it } from 'vitest';
import { productionHaControlPlane as rule } from './production-ha-control-plane.js';
import { env, TODAY, testModel } from './test-model.js';

describe('ENVC2001 production-ha-control-plane', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), { today: TODAY })).toEqual([]);
  });
  it('reports a production cluster without HA, at the cluster', () => {
    const m = testModel();
    env(m, 'production').cluster.highAvailability = false;
    const f = rule.check(m, { today: TODAY });
    expect(f).toHaveLength(1);
    expect(f[0]?.origin.path).toBe('environments.production.cluster');
    expect(f[0]?.message).toBe('production environment "production" has no highly available control plane');
    expect(f[0]?.hint).toContain('highAvailability: true');
  });
  it('leaves non-production clusters alone', () => {
    const m = testModel();
    env(m, 'development').cluster.highAvailability = false;
    env(m, 'system').cluster.highAvailability = false;
    expect(rule.check(m, { today: TODAY })).toEqual([]);
  });
});
