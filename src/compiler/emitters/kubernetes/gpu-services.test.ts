/**
 * GPU pools are usable (issue 11 finding 14): a service with `gpu` tolerates its pool's taint, is attracted to
 * the pool's nodes and limits `nvidia.com/gpu`; the objects pass kubernetes-models validation and the restricted
 * Pod Security Standard. The device plugin's values select the same nodes.
 */
import { describe, expect, it } from 'vitest';
import { podSpecOf, restrictedViolations, validateObjects } from '../../../../test/support/k8s-validate.js';
import { defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { nvidiaDevicePlugin } from '../helm/gpu.js';
import { emitModel } from './test-helpers.js';

function gpuSpec() {
  const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
  spec.services.push({
    name: 'inference',
    owner: 'team-ml',
    image: 'ghcr.io/acme/inference:0.3.0',
    port: 8000,
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    gpu: { count: 1, pool: 'gpu' },
    environments: ['production'],
  });
  return spec;
}

type PodSpec = {
  tolerations?: unknown[];
  affinity?: {
    nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: unknown[] } };
  };
  containers: Array<{ resources: { limits: Record<string, string> } }>;
};

describe('GPU services', () => {
  it('tolerates the pool taint, selects the pool by its labels and limits nvidia.com/gpu', async () => {
    const e = await emitModel(await modelFromSpec(gpuSpec()));
    const d = e.find('Deployment', 'inference', 'team-ml', 'production')!;
    const pod = (d as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(
      pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    ).toEqual([{ matchExpressions: [{ key: 'accelerator', operator: 'In', values: ['nvidia-rtx4000'] }] }]);
    expect(pod.containers[0]!.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(restrictedViolations(podSpecOf(d)!)).toEqual([]);
    expect(await validateObjects([d])).toEqual([]);
    // A service without `gpu` gets none of it.
    const plain = e.find('Deployment', 'sample-service', 'team-a', 'production')!;
    const plainPod = (plain as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    expect(plainPod.tolerations).toBeUndefined();
    expect(plainPod.containers[0]!.resources.limits['nvidia.com/gpu']).toBeUndefined();
  });

  it('installs the device plugin only where a GPU pool is, on the same nodes', async () => {
    const model = await modelFromSpec(gpuSpec());
    const prod = model.environments.find((x) => x.name === 'production')!;
    expect(nvidiaDevicePlugin(model.environments.find((x) => x.name === 'staging')!)).toBeUndefined();
    const v = nvidiaDevicePlugin(prod) as {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } };
      };
      tolerations: unknown[];
    };
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'accelerator', operator: 'In', values: ['nvidia-rtx4000'] }] },
    ]);
    expect(v.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('refuses a GPU service in an environment without a GPU pool (ENVC2041 at the gpu field)', async () => {
    const spec = gpuSpec();
    (spec.services[1] as { environments: string[] }).environments = ['staging', 'production'];
    delete (spec.services[1]!.gpu as { pool?: string }).pool;
    await expect(modelFromSpec(spec)).rejects.toThrow(
      /ENVC2041.*"inference" requests 1 GPU\(s\) in "staging"/s,
    );
  });
});
