import { describe, expect, it } from 'vitest';
import { deadMansSwitch } from './dead-mans-switch.js';
import { gpuServicePlacement } from './gpu-service-placement.js';
import { kubernetesVersionSupported } from './kubernetes-version-supported.js';
import { redisSentinelQuorum } from './redis-sentinel-quorum.js';
import { env, o, pool, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2040 redis-sentinel-quorum', () => {
  const withRedis = (replicas: number) => {
    const m = testModel();
    env(m, 'production').dataServices.redis = {
      replicas,
      memory: { text: '1Gi', value: 1024 ** 3 },
      version: '7.4',
      origin: o('environments.production.dataServices.redis', 80, 7),
    };
    return m;
  };
  it('accepts one replica (standalone) and three (a majority survives one loss)', () => {
    expect(redisSentinelQuorum.check(withRedis(1), ctx)).toEqual([]);
    expect(redisSentinelQuorum.check(withRedis(3), ctx)).toEqual([]);
  });
  it('reports two replicas at the redis block', () => {
    const f = redisSentinelQuorum.check(withRedis(2), ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.origin).toMatchObject({ path: 'environments.production.dataServices.redis', line: 80 });
    expect(f[0]!.message).toContain('2 sentinels need 2 to agree');
  });
});

describe('ENVC2041 gpu-service-placement', () => {
  const gpuPool = (labels: Record<string, string>) =>
    pool('production', 1, {
      name: 'gpu',
      type: 'g2-gpu-rtx4000a1-s',
      isGpu: true,
      labels,
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });
  const gpuService = (m: ReturnType<typeof testModel>, name: string, poolName?: string) => {
    const s = env(m, name).services[0]!;
    s.gpu = { count: 1, ...(poolName ? { pool: poolName } : {}), origin: o('services[0].gpu', 210, 7) };
  };
  it('accepts a GPU service where a labelled GPU pool exists', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(gpuPool({ accelerator: 'rtx4000' }));
    gpuService(m, 'production', 'gpu');
    expect(gpuServicePlacement.check(m, ctx)).toEqual([]);
  });
  it('reports a GPU service in an environment without a GPU pool, at its gpu field', () => {
    const m = testModel();
    gpuService(m, 'development');
    const f = gpuServicePlacement.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'service "sample-service" requests 1 GPU(s) in "development", which has no GPU pool; its pods would never schedule',
    ]);
    expect(f[0]!.origin).toMatchObject({ path: 'services[0].gpu', line: 210 });
  });
  it('reports a named pool that is not a GPU pool, and a GPU pool without labels', () => {
    const m = testModel();
    env(m, 'production').cluster.pools.push(gpuPool({}));
    gpuService(m, 'production', 'general');
    expect(gpuServicePlacement.check(m, ctx).map((x) => x.message)).toEqual([
      'service "sample-service" asks for GPU pool "general" in "production", which is not a GPU pool there',
      'GPU pool "gpu" in "production" has no labels, so neither GPU services nor the NVIDIA device plugin can select its nodes',
    ]);
  });
});

describe('ENVC2042 kubernetes-version-supported', () => {
  it('accepts versions LKE offers on the day', () => {
    expect(kubernetesVersionSupported.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a version past its end of life, one not yet offered and an unknown one', () => {
    const m = testModel();
    const f = (today: string) => kubernetesVersionSupported.check(m, { today }).map((x) => x.message);
    expect(f('2026-12-02')[0]).toBe(
      'environment "development" runs Kubernetes "1.33", which LKE stopped offering on 2026-06-28',
    );
    env(m, 'development').kubernetesVersion = '1.37';
    expect(f('2026-06-01')[0]).toBe(
      'environment "development" runs Kubernetes "1.37", which LKE offers from 2026-09-30',
    );
    env(m, 'development').kubernetesVersion = '1.99';
    expect(f('2026-06-01')[0]).toBe(
      'environment "development" runs Kubernetes "1.99", which LKE does not offer',
    );
  });
});

describe('ENVC2043 dead-mans-switch', () => {
  it('warns at the environment when no heartbeat URL is set', () => {
    const m = testModel();
    expect(deadMansSwitch.check(m, ctx)).toEqual([]);
    delete env(m, 'production').observability.heartbeatUrl;
    const f = deadMansSwitch.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.origin.path).toBe('environments.production');
  });
});
