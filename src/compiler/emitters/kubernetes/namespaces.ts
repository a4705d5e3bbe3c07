/**
 * Namespaces of one environment with their Pod Security Admission labels, and for every app (owner)
 * namespace a ResourceQuota sized `quotas.services × quotas.perService` and a LimitRange. Pure data.
 */
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { EnvironmentModel } from '../../model.js';
import { formatCpu, formatMemory } from '../../quantities.js';
import { type KubeObject, type Manifest, sortedRecord } from './objects.js';
import { commonLabels, managedNamespaces, namespaceLabels } from './platform.js';

/** Defaults for a container that declares no resources, capped by one service's budget. */
const DEFAULT_REQUEST = { cpuMillis: 100, memoryBytes: 128 * 1024 ** 2 };
const DEFAULT_LIMIT = { cpuMillis: 500, memoryBytes: 512 * 1024 ** 2 };

/** What the ResourceQuota of an app namespace holds: the environment's service budget, in quantities. */
export function namespaceQuota(env: EnvironmentModel): Record<string, string> {
  const t = env.quotas.total;
  return {
    'requests.cpu': formatCpu(t.requests.cpuMillis),
    'requests.memory': formatMemory(t.requests.memoryBytes),
    'limits.cpu': formatCpu(t.limits.cpuMillis),
    'limits.memory': formatMemory(t.limits.memoryBytes),
    pods: String(t.pods),
    // Objects that cost money or addresses outside the quota's CPU/memory view.
    'services.loadbalancers': '0',
    'services.nodeports': '0',
  };
}

export function namespaces(env: EnvironmentModel): Manifest[] {
  const out: Manifest[] = [];
  const per = env.quotas.perService;
  for (const ns of managedNamespaces(env)) {
    const namespace: INamespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name, labels: sortedRecord(namespaceLabels(env, ns)) },
    };
    out.push({ object: namespace as KubeObject, origin: env.origin });
  }
  for (const ns of managedNamespaces(env)) {
    if (ns.kind !== 'app') continue;
    const quota: IResourceQuota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'envc-quota', namespace: ns.name, labels: commonLabels(env.name) },
      spec: { hard: sortedRecord(namespaceQuota(env)) },
    };
    out.push({ object: quota as KubeObject, origin: env.quotas.origin });
    const limitRange: ILimitRange = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'envc-limits', namespace: ns.name, labels: commonLabels(env.name) },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: formatCpu(Math.min(DEFAULT_REQUEST.cpuMillis, per.requests.cpu.value)),
              memory: formatMemory(Math.min(DEFAULT_REQUEST.memoryBytes, per.requests.memory.value)),
            },
            default: {
              cpu: formatCpu(Math.min(DEFAULT_LIMIT.cpuMillis, per.limits.cpu.value)),
              memory: formatMemory(Math.min(DEFAULT_LIMIT.memoryBytes, per.limits.memory.value)),
            },
            // No single container may take more than one service's whole budget.
            max: { cpu: per.limits.cpu.text, memory: per.limits.memory.text },
          },
        ],
      },
    };
    out.push({ object: limitRange as KubeObject, origin: env.quotas.origin });
  }
  return out;
}
