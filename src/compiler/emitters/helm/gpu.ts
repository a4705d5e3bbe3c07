/**
 * GPU pools and what uses them: the NVIDIA device plugin's values (it advertises `nvidia.com/gpu` on the GPU
 * nodes; LKE's GPU nodes come with the driver, not the plugin) and the placement a GPU service gets — the
 * tolerations of its pool's taints and a node affinity on the pool's labels. One place, so the plugin and the
 * workloads land on the same nodes. Pure.
 */
import type { EnvironmentModel, PoolModel, ServiceInstance } from '../../model.js';
import type { Values } from './values.js';

/** The extended resource the device plugin advertises and a GPU service limits. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Where the plugin runs: kube-system, beside the other node agents (it talks to the kubelet over a socket). */
export const DEVICE_PLUGIN_NAMESPACE = 'kube-system';

export function gpuPools(env: EnvironmentModel): PoolModel[] {
  return env.cluster.pools.filter((p) => p.isGpu);
}

/** The GPU pools a service may run on: the one it names, else every GPU pool of the environment. */
export function gpuPoolsFor(env: EnvironmentModel, s: Pick<ServiceInstance, 'gpu'>): PoolModel[] {
  if (!s.gpu) return [];
  const pools = gpuPools(env);
  return s.gpu.pool ? pools.filter((p) => p.name === s.gpu?.pool) : pools;
}

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Tolerations of every taint of the pools (exact key and value: a toleration opens nothing else). */
export function poolTolerations(pools: readonly PoolModel[]): Toleration[] {
  const seen = new Map<string, Toleration>();
  for (const p of pools)
    for (const t of p.taints)
      seen.set(`${t.key}=${t.value}:${t.effect}`, {
        key: t.key,
        operator: 'Equal',
        value: t.value,
        effect: t.effect,
      });
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

/**
 * Node selector terms (ORed) matching the nodes of the pools: each pool's own labels (LKE puts a pool's labels
 * on its nodes). A pool without labels cannot be selected; rule ENVC2041 requires labels on GPU pools.
 */
export function poolSelectorTerms(
  pools: readonly PoolModel[],
): Array<{ matchExpressions: Array<{ key: string; operator: 'In'; values: string[] }> }> {
  return pools
    .filter((p) => Object.keys(p.labels).length > 0)
    .map((p) => ({
      matchExpressions: Object.keys(p.labels)
        .sort()
        .map((key) => ({ key, operator: 'In' as const, values: [p.labels[key]!] })),
    }));
}

/** nvidia-device-plugin values, or undefined where the environment has no GPU pool. */
export function nvidiaDevicePlugin(env: EnvironmentModel): Values | undefined {
  const pools = gpuPools(env);
  if (pools.length === 0) return undefined;
  const terms = poolSelectorTerms(pools);
  return {
    // The chart's default affinity needs Node Feature Discovery labels, which LKE nodes do not carry: the
    // GPU pools' own labels select the nodes instead (a list replaces the chart's terms; Helm merges only maps).
    ...(terms.length > 0
      ? {
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
          },
        }
      : {}),
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' },
      ...poolTolerations(pools).filter((t) => t.key !== GPU_RESOURCE),
    ],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    gfd: { enabled: false },
  };
}
