import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** LKE rejects min > max, and a count outside [min, max] is moved by the autoscaler on the next loop. */
export const autoscalerBounds: Rule = {
  code: 'ENVC2018',
  name: 'autoscaler-bounds',
  title: 'pool autoscalers have min ≤ count ≤ max',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      for (const pool of env.cluster.pools) {
        const a = pool.autoscaler;
        if (!a) continue;
        if (a.min > a.max) {
          findings.push({
            origin: pool.origin,
            message: `pool ${q(pool.name)} in ${q(env.name)} has autoscaler min ${a.min} above max ${a.max}`,
            hint: 'swap the bounds or raise `autoscaler.max`',
          });
        } else if (pool.count < a.min || pool.count > a.max) {
          findings.push({
            origin: pool.origin,
            message: `pool ${q(pool.name)} in ${q(env.name)} has count ${pool.count} outside its autoscaler range ${a.min}–${a.max}`,
            hint:
              pool.count < a.min
                ? `set \`count: ${a.min}\` or lower \`autoscaler.min\``
                : `set \`count: ${a.max}\` or raise \`autoscaler.max\``,
          });
        }
      }
    }
    return findings;
  },
};
