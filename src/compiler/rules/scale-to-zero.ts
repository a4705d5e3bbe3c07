import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** A production pool with no nodes cannot take load when it is needed; zero-node pools are a development saving. */
export const scaleToZero: Rule = {
  code: 'ENVC2017',
  name: 'scale-to-zero',
  title: 'only non-production pools scale to zero, and count 0 needs scaleToZero',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      for (const pool of env.cluster.pools) {
        if (pool.scaleToZero && env.tier === 'production') {
          findings.push({
            origin: pool.origin,
            message: `pool ${q(pool.name)} in production environment ${q(env.name)} may scale to zero`,
            hint: 'remove `scaleToZero` and give the pool at least one node',
          });
        } else if (pool.count === 0 && !pool.scaleToZero) {
          findings.push({
            origin: pool.origin,
            message: `pool ${q(pool.name)} in ${q(env.name)} has count 0 without scaleToZero`,
            hint: 'set `scaleToZero: true` (outside production) or a count of at least 1',
          });
        }
      }
    }
    return findings;
  },
};
