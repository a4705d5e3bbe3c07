import { describe, expect, it } from 'vitest';
import { defaultModel } from '../../../../test/support/model.js';
import { parseCpu, parseMemory } from '../../quantities.js';
import { namespaceQuota, namespaces } from './namespaces.js';
import { emitDefault } from './test-helpers.js';

describe('namespaces', () => {
  it('labels every namespace with its environment and Pod Security Admission levels; app namespaces enforce restricted', async () => {
    const { all } = await emitDefault();
    const prod = all('Namespace', 'production');
    expect(prod.map((n) => n.metadata!.name)).toEqual([
      'cert-manager',
      'data',
      'envc-bot',
      'ingress-nginx',
      'monitoring',
      'sealed-secrets',
      'team-a',
    ]);
    for (const ns of prod) {
      const labels = (ns.metadata as { labels: Record<string, string> }).labels;
      expect(labels['envc.io/environment']).toBe('production');
      expect(labels['kubernetes.io/metadata.name']).toBe(ns.metadata!.name);
      expect(labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.36');
      expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(ns.metadata!.namespace).toBeUndefined();
    }
    const level = (name: string) =>
      (prod.find((n) => n.metadata!.name === name)!.metadata as { labels: Record<string, string> }).labels[
        'pod-security.kubernetes.io/enforce'
      ];
    expect(level('team-a')).toBe('restricted');
    expect(level('sealed-secrets')).toBe('restricted');
    expect(level('monitoring')).toBe('privileged'); // node-exporter and Alloy need the host
    expect(level('ingress-nginx')).toBe('baseline');
    // Redis' values pass restricted in every container (test/e2e/helm-redis.test.ts), so it is enforced.
    expect(level('data')).toBe('restricted');
  });

  it('sizes each app namespace quota as services × perService (30 services by default)', async () => {
    const model = await defaultModel();
    const prod = model.environments.find((e) => e.name === 'production')!;
    expect(prod.quotas.services).toBe(30);
    const hard = namespaceQuota(prod);
    // production perService: requests 500m / 1Gi, limits 1 / 2Gi, 10 pods.
    expect(hard).toMatchObject({
      'requests.cpu': '15',
      'requests.memory': '30Gi',
      'limits.cpu': '30',
      'limits.memory': '60Gi',
      pods: '300',
      'services.loadbalancers': '0',
    });
    const dev = model.environments.find((e) => e.name === 'development')!;
    expect(namespaceQuota(dev)).toMatchObject({
      'requests.cpu': '7500m',
      'requests.memory': '15Gi',
      'limits.cpu': '15',
      'limits.memory': '30Gi',
    });
  });

  it('holds exactly 30 services of the per-service budget, and not 31', async () => {
    const model = await defaultModel();
    for (const env of model.environments.filter((e) => e.namespaces.some((n) => n.kind === 'app'))) {
      const hard = namespaceQuota(env);
      const per = env.quotas.perService.requests;
      const fits = (n: number) =>
        n * per.cpu.value <= parseCpu(hard['requests.cpu']!)! &&
        n * per.memory.value <= parseMemory(hard['requests.memory']!)!;
      expect(fits(env.quotas.services), env.name).toBe(true);
      expect(fits(env.quotas.services + 1), env.name).toBe(false);
      const perLimits = env.quotas.perService.limits;
      expect((env.quotas.services + 1) * perLimits.memory.value > parseMemory(hard['limits.memory']!)!).toBe(
        true,
      );
    }
  });

  it('gives app namespaces a LimitRange whose defaults fit one service and whose max is its budget', async () => {
    const model = await defaultModel();
    const staging = model.environments.find((e) => e.name === 'staging')!;
    const lr = namespaces(staging).find((m) => m.object.kind === 'LimitRange')!.object as unknown as {
      metadata: { namespace: string };
      spec: {
        limits: Array<{
          type: string;
          default: Record<string, string>;
          defaultRequest: Record<string, string>;
          max: Record<string, string>;
        }>;
      };
    };
    expect(lr.metadata.namespace).toBe('team-a');
    expect(lr.spec.limits[0]).toEqual({
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '512Mi' },
      max: { cpu: '1', memory: '1Gi' },
    });
    // Platform namespaces get no quota (their sizes come from the Helm values).
    expect(
      namespaces(staging)
        .filter((m) => m.object.kind === 'ResourceQuota')
        .map((m) => m.object.metadata.namespace),
    ).toEqual(['team-a']);
  });

  it('records the spec location of every object (quotas point at the quotas block)', async () => {
    const model = await defaultModel();
    const prod = model.environments.find((e) => e.name === 'production')!;
    const quota = namespaces(prod).find((m) => m.object.kind === 'ResourceQuota')!;
    expect(quota.origin.path).toBe('environments.production.quotas');
    expect(quota.origin.line).toBeGreaterThan(1);
  });
});
