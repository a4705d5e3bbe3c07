import { isGpuPlan, nodeAllocatable } from '../linode-types.js';
import type { EnvironmentModel } from '../model.js';
import type { Environment as SpecEnvironment } from '../spec.generated.js';
import type { NormalizeContext, Seg } from './context.js';

/** `environments.<name>.cluster`: LKE cluster defaults, control-plane ACL, node pools. */
export function clusterModel(
  ctx: NormalizeContext,
  env: SpecEnvironment,
  at: Seg[],
  label: string,
): EnvironmentModel['cluster'] {
  const { origin } = ctx;
  const cl = env.cluster;
  const acl = cl.controlPlaneAcl;
  return {
    label,
    highAvailability: cl.highAvailability ?? false,
    controlPlaneAcl: {
      enabled: acl ? (acl.enabled ?? true) : false,
      ipv4: acl?.ipv4 ?? [],
      ipv6: acl?.ipv6 ?? [],
      ...(acl ? { origin: origin([...at, 'cluster', 'controlPlaneAcl']) } : {}),
    },
    auditLogs: cl.auditLogs ?? true,
    pools: cl.pools.map((p, i) => {
      const alloc = nodeAllocatable(p.type);
      return {
        name: p.name,
        type: p.type,
        count: p.count,
        scaleToZero: p.scaleToZero ?? false,
        ...(p.autoscaler ? { autoscaler: { min: p.autoscaler.min, max: p.autoscaler.max } } : {}),
        labels: { ...(p.labels ?? {}) },
        taints: (p.taints ?? []).map((t) => ({ ...t })),
        updateStrategy: p.updateStrategy ?? 'rolling_update',
        isGpu: isGpuPlan(p.type),
        ...(alloc ? { nodeAllocatable: alloc } : {}),
        origin: origin([...at, 'cluster', 'pools', i], false),
      };
    }),
    origin: origin([...at, 'cluster']),
  };
}
