import type { EnvironmentModel, PoolModel } from '../model.js';
import { cpu, memory, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** LKE's kubelet default; a node runs at most this many pods. */
export const MAX_PODS_PER_NODE = 110;

/** A pool that ordinary service pods can land on: no hard taint. */
export function schedulable(pool: PoolModel): boolean {
  return !pool.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

export interface Capacity {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  nodes: number;
  /** Pools counted, for the message. */
  pools: string[];
  /** Pools whose plan envc does not know (capacity cannot be computed). */
  unknown: string[];
}

/**
 * What the environment's schedulable pools offer at their normal size: `count` nodes each (not the autoscaler
 * max — a quota that fits only after scale-up is a quota the cluster cannot hold when the autoscaler is slow,
 * capped by the Linode account limit, or the region is out of stock).
 */
export function capacity(env: EnvironmentModel): Capacity {
  const cap: Capacity = { cpuMillis: 0, memoryBytes: 0, pods: 0, nodes: 0, pools: [], unknown: [] };
  for (const pool of env.cluster.pools) {
    if (!schedulable(pool) || pool.count === 0) continue;
    if (!pool.nodeAllocatable) {
      cap.unknown.push(pool.name);
      continue;
    }
    cap.cpuMillis += pool.count * pool.nodeAllocatable.cpuMillis;
    cap.memoryBytes += pool.count * pool.nodeAllocatable.memoryBytes;
    cap.pods += pool.count * MAX_PODS_PER_NODE;
    cap.nodes += pool.count;
    cap.pools.push(`${pool.name} (${pool.count} × ${pool.type})`);
  }
  return cap;
}

/**
 * The namespace quotas promise `services` × `perService` to application teams; the nodes must be able to
 * hold that promise, or pods sit Pending while the quota says there is room.
 */
export const quotaCapacity: Rule = {
  code: 'ENVC2005',
  name: 'quota-capacity',
  title: "quotas (services × per-service requests) fit the node pools' allocatable capacity",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const quotas = env.quotas;
      const cap = capacity(env);
      // An unknown plan may be large enough; ENVC2007 already says the check is incomplete.
      if (cap.unknown.length > 0) continue;
      const n = quotas.services;
      const want = {
        cpu: n * quotas.perService.requests.cpu.value,
        memory: n * quotas.perService.requests.memory.value,
        pods: n * quotas.podsPerService,
      };
      const where = cap.pools.length > 0 ? cap.pools.join(', ') : 'no schedulable pool';
      const hint =
        'add nodes to an untainted pool (its `count`, not the autoscaler max, is what counts) or lower `quotas.services` / `quotas.perService.requests`';
      if (want.cpu > cap.cpuMillis) {
        findings.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} requests ${cpu(want.cpu)} (${n} services × ${quotas.perService.requests.cpu.text}) but its pools offer ${cpu(cap.cpuMillis)} allocatable (${where})`,
          hint,
        });
      }
      if (want.memory > cap.memoryBytes) {
        findings.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} requests ${memory(want.memory)} memory (${n} services × ${quotas.perService.requests.memory.text}) but its pools offer ${memory(cap.memoryBytes)} allocatable (${where})`,
          hint,
        });
      }
      if (want.pods > cap.pods) {
        findings.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} allows ${want.pods} pods (${n} services × ${quotas.podsPerService}) but ${cap.nodes} nodes hold at most ${cap.pods} (${MAX_PODS_PER_NODE} per node)`,
          hint: 'lower `quotas.podsPerService` or add nodes to an untainted pool',
        });
      }
    }
    return findings;
  },
};
