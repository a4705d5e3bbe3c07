import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * With Sentinel (more than one Redis replica) each pod runs a sentinel, and a failover needs a majority of
 * them to agree: two sentinels have a quorum of two, so losing the primary's pod (and its sentinel) leaves one,
 * which can never promote a replica. Three is the smallest set that survives the loss of one.
 */
export const redisSentinelQuorum: Rule = {
  code: 'ENVC2040',
  name: 'redis-sentinel-quorum',
  title: 'Redis with Sentinel runs at least three replicas (a majority of sentinels survives one loss)',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const r = env.dataServices.redis;
      if (!r || r.replicas <= 1 || r.replicas >= 3) continue;
      findings.push({
        origin: r.origin,
        message: `Redis in ${q(env.name)} runs ${r.replicas} replicas with Sentinel: ${r.replicas} sentinels need ${Math.floor(r.replicas / 2) + 1} to agree, so losing the primary's pod leaves too few to fail over`,
        hint: 'set `replicas: 3` (three sentinels, quorum two), or `replicas: 1` to run standalone without failover',
      });
    }
    return findings;
  },
};
