import { sweepAccess } from '../../access/sweeper.js';
import { accessDepsOf } from '../access-deps.js';
import type { Job } from './types.js';

/**
 * Every minute (schedules.accessExpiry): revoke every expired grant — the store remembers grants made before
 * a restart — and report (and remove) grant bindings that should not exist.
 */
const accessExpiry: Job = {
  name: 'access-expiry',
  schedule: (model) => model.schedules.accessExpiry,
  async run(deps) {
    const r = await sweepAccess(accessDepsOf(deps), deps.botActor);
    for (const u of r.unreachable) deps.log.warn('access sweep could not check a cluster', u);
    return {
      revoked: r.revoked.length,
      failed: r.failed.length,
      drift: r.drift.length,
      unreachable: r.unreachable.length,
    };
  },
};
export default accessExpiry;
