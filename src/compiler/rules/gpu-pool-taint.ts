import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Without a hard taint, ordinary pods land on GPU nodes and keep the expensive capacity busy. */
export const gpuPoolTaint: Rule = {
  code: 'ENVC2003',
  name: 'gpu-pool-taint',
  title: 'GPU node pools carry a NoSchedule or NoExecute taint',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      for (const pool of env.cluster.pools) {
        if (!pool.isGpu) continue;
        if (pool.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) continue;
        const soft = pool.taints.find((t) => t.effect === 'PreferNoSchedule');
        findings.push({
          origin: pool.origin,
          message: soft
            ? `GPU pool ${q(pool.name)} in ${q(env.name)} has only a PreferNoSchedule taint (${q(soft.key)}), which other pods may ignore`
            : `GPU pool ${q(pool.name)} in ${q(env.name)} (${q(pool.type)}) has no taint`,
          hint: 'add `taints: [{ key: nvidia.com/gpu, value: "true", effect: NoSchedule }]` so only GPU workloads schedule there',
        });
      }
    }
    return findings;
  },
};
