import { describe, expect, it } from 'vitest';
import type { PoolModel } from '../model.js';
import { gpuPoolTaint as rule } from './gpu-pool-taint.js';
import { env, pool, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };
const gpuPool = (taints: PoolModel['taints'] = []) =>
  pool('production', 1, {
    name: 'gpu',
    type: 'g2-gpu-rtx4000a1-s',
    count: 1,
    autoscaler: { min: 1, max: 2 },
    isGpu: true,
    taints,
  });

describe('ENVC2003 gpu-pool-taint', () => {
  it('accepts a GPU pool with a NoSchedule or NoExecute taint', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(
      gpuPool([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]),
    );
    env(m, 'development').cluster.pools.push(
      gpuPool([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoExecute' }]),
    );
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports an untainted GPU pool at the pool', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(gpuPool());
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.origin.path).toBe('environments.production.cluster.pools[1]');
    expect(f[0]?.message).toBe('GPU pool "gpu" in "production" ("g2-gpu-rtx4000a1-s") has no taint');
  });
  it('does not count PreferNoSchedule as a taint that keeps pods off', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(
      gpuPool([{ key: 'nvidia.com/gpu', value: 'true', effect: 'PreferNoSchedule' }]),
    );
    expect(rule.check(m, ctx)[0]?.message).toContain('only a PreferNoSchedule taint');
  });
  it('ignores untainted CPU pools', () => {
    const m = testModel();
    expect(env(m, 'production').cluster.pools[0]?.taints).toEqual([]);
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
