import { gpuPools } from '../emitters/helm/gpu.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * A service asking for GPUs must have a GPU pool to run on in every environment it runs in: otherwise its pods
 * stay Pending (no node advertises `nvidia.com/gpu`). The pool it names must be a GPU pool, and a GPU pool must
 * carry labels — the services' node affinity and the device plugin select its nodes by them.
 */
export const gpuServicePlacement: Rule = {
  code: 'ENVC2041',
  name: 'gpu-service-placement',
  title: 'GPU services run only where a labelled GPU pool exists',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const pools = gpuPools(env);
      for (const s of env.services) {
        if (!s.gpu) continue;
        const named = s.gpu.pool;
        if (pools.length === 0) {
          findings.push({
            origin: s.gpu.origin,
            message: `service ${q(s.name)} requests ${s.gpu.count} GPU(s) in ${q(env.name)}, which has no GPU pool; its pods would never schedule`,
            hint: `add a GPU pool (e.g. type g2-gpu-rtx4000a1-s) to ${q(env.name)}, or remove ${q(env.name)} from the service's environments`,
          });
        } else if (named && !pools.some((p) => p.name === named)) {
          findings.push({
            origin: s.gpu.origin,
            message: `service ${q(s.name)} asks for GPU pool ${q(named)} in ${q(env.name)}, which is not a GPU pool there`,
            hint: `use one of: ${pools.map((p) => p.name).join(', ')}`,
          });
        }
      }
      for (const p of pools) {
        if (Object.keys(p.labels).length > 0) continue;
        findings.push({
          origin: p.origin,
          message: `GPU pool ${q(p.name)} in ${q(env.name)} has no labels, so neither GPU services nor the NVIDIA device plugin can select its nodes`,
          hint: 'add `labels: { accelerator: <gpu-model> }` to the pool',
        });
      }
    }
    return findings;
  },
};
