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

/** What one app namespace's ResourceQuota holds (kubernetes/namespaces.ts gives each the whole budget). */
function perNamespace(env: EnvironmentModel) {
  const quotas = env.quotas;
  const n = quotas.services;
  return {
    cpu: n * quotas.perService.requests.cpu.value,
    memory: n * quotas.perService.requests.memory.value,
    pods: n * quotas.podsPerService,
  };
}

/** `1.4×` — how far a promise exceeds what the pools offer. */
function ratio(want: number, have: number): string {
  return have > 0 ? `${(Math.ceil((want / have) * 10) / 10).toFixed(1)}×` : 'with nothing';
}

/**
 * The ResourceQuotas promise application teams `services` × `perService` — and every app (owner) namespace gets
 * that whole budget (kubernetes/namespaces.ts). Two findings, graded:
 *
 * - error: one namespace's quota does not fit the pools at their normal size — no team could ever use its
 *   quota, even alone on the cluster;
 * - warning: the namespaces' quotas together exceed the pools (over-commit): each fits, but not all teams can
 *   use their whole quota at once. Common and often deliberate in shared clusters, so reported, not refused.
 */
export const quotaCapacity: Rule = {
  code: 'ENVC2005',
  name: 'quota-capacity',
  title:
    "each namespace's quota (services × per-service requests) fits the node pools' allocatable capacity; their sum is reported when it does not (over-commit)",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const quotas = env.quotas;
      const cap = capacity(env);
      // An unknown plan may be large enough; ENVC2007 already says the check is incomplete.
      if (cap.unknown.length > 0) continue;
      const n = quotas.services;
      const one = perNamespace(env);
      const where = cap.pools.length > 0 ? cap.pools.join(', ') : 'no schedulable pool';
      const hint =
        'add nodes to an untainted pool (its `count`, not the autoscaler max, is what counts) or lower `quotas.services` / `quotas.perService.requests`';
      const errors: Finding[] = [];
      if (one.cpu > cap.cpuMillis) {
        errors.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} requests ${cpu(one.cpu)} (${n} services × ${quotas.perService.requests.cpu.text}) but its pools offer ${cpu(cap.cpuMillis)} allocatable (${where})`,
          hint,
        });
      }
      if (one.memory > cap.memoryBytes) {
        errors.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} requests ${memory(one.memory)} memory (${n} services × ${quotas.perService.requests.memory.text}) but its pools offer ${memory(cap.memoryBytes)} allocatable (${where})`,
          hint,
        });
      }
      if (one.pods > cap.pods) {
        errors.push({
          origin: quotas.origin,
          message: `quota of ${q(env.name)} allows ${one.pods} pods (${n} services × ${quotas.podsPerService}) but ${cap.nodes} nodes hold at most ${cap.pods} (${MAX_PODS_PER_NODE} per node)`,
          hint: 'lower `quotas.podsPerService` or add nodes to an untainted pool',
        });
      }
      findings.push(...errors);
      // What the emitted ResourceQuotas promise together: one whole budget per app namespace.
      const spaces = env.namespaces.filter((ns) => ns.kind === 'app').map((ns) => ns.name);
      const k = spaces.length;
      if (k < 2 || errors.length > 0) continue;
      const over: string[] = [];
      if (k * one.cpu > cap.cpuMillis)
        over.push(
          `${cpu(k * one.cpu)} of requests (${k} namespaces × ${cpu(one.cpu)}) against ${cpu(cap.cpuMillis)} allocatable, ${ratio(k * one.cpu, cap.cpuMillis)}`,
        );
      if (k * one.memory > cap.memoryBytes)
        over.push(
          `${memory(k * one.memory)} memory (${k} namespaces × ${memory(one.memory)}) against ${memory(cap.memoryBytes)} allocatable, ${ratio(k * one.memory, cap.memoryBytes)}`,
        );
      if (k * one.pods > cap.pods)
        over.push(`${k * one.pods} pods (${k} namespaces × ${one.pods}) against ${cap.pods}`);
      if (over.length > 0) {
        findings.push({
          origin: quotas.origin,
          severity: 'warning',
          message: `quotas of ${q(env.name)} are over-committed: its ${k} app namespaces (${spaces.join(', ')}) are promised ${over.join('; ')} (${where})`,
          hint: 'fine if the teams never use their whole quota at once; otherwise add nodes to an untainted pool or lower `quotas.services` / `quotas.perService` (each namespace gets the whole budget)',
        });
      }
    }
    return findings;
  },
};
