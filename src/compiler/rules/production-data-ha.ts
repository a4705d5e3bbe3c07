import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** A single-node database or Redis is a single point of failure for every production service using it. */
export const productionDataHa: Rule = {
  code: 'ENVC2022',
  name: 'production-data-ha',
  title: 'production PostgreSQL runs at least 2 nodes and production Redis at least 2 replicas',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      if (env.tier !== 'production') continue;
      const { postgres, redis } = env.dataServices;
      if (postgres && postgres.nodes < 2) {
        findings.push({
          origin: postgres.origin,
          message: `production PostgreSQL in ${q(env.name)} runs on ${postgres.nodes} node, with no failover`,
          hint: 'set `nodes: 3` (Linode Managed Databases then keep a standby to fail over to)',
        });
      }
      if (redis && redis.replicas < 2) {
        findings.push({
          origin: redis.origin,
          message: `production Redis in ${q(env.name)} runs ${redis.replicas} replica, with no failover`,
          hint: 'set `replicas: 3` so Sentinel can elect a new primary',
        });
      }
    }
    return findings;
  },
};
