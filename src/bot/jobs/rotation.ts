import { closeStaleRotations } from '../../rotation/requests.js';
import { revokeDueCredentials } from '../../rotation/revocations.js';
import { rotateSecret } from '../../rotation/rotate.js';
import { freshness, secretTargets } from '../../rotation/schedule.js';
import { rotationDepsOf } from '../rotation-deps.js';
import type { Job } from './types.js';

/**
 * On the spec's rotation schedule: rotate every secret that is due (one thread each), revoke old
 * credentials whose grace period is over, and close requests nobody approved and rotations a crash
 * interrupted. One rotation failing does not stop the others.
 */
const rotation: Job = {
  name: 'rotation',
  schedule: (model) => model.schedules.rotation,
  async run(deps) {
    const r = rotationDepsOf(deps);
    const now = deps.now();
    const closed = await closeStaleRotations(r);
    const outcomes: Record<string, number> = { success: 0, failure: 0, error: 0 };
    for (const t of secretTargets(deps.model)) {
      if (!freshness(t, await deps.store.lastRotation(t.env, t.secret, 'succeeded'), now).due) continue;
      const o = await rotateSecret(r, {
        env: t.env,
        secret: t.secret,
        actor: deps.botActor,
        trigger: 'scheduled',
      });
      outcomes[o.kind] = (outcomes[o.kind] ?? 0) + 1;
      if (o.kind !== 'success')
        deps.log.warn('scheduled rotation did not succeed', {
          env: t.env,
          secret: t.secret,
          outcome: o.kind,
          message: o.message,
        });
    }
    const revocations = await revokeDueCredentials(r, deps.botActor);
    return {
      ...outcomes,
      revoked: revocations.revoked.length,
      revocationFailures: revocations.failed.length,
      closed: closed.length,
    };
  },
};
export default rotation;

/** Every 15 minutes: old credentials whose grace period is over are revoked close to their due time. */
export const rotationRevocations: Job = {
  name: 'rotation-revocations',
  schedule: '*/15 * * * *',
  async run(deps) {
    const r = await revokeDueCredentials(rotationDepsOf(deps), deps.botActor);
    for (const f of r.failed) deps.log.warn('old credential could not be revoked yet; retrying next run', f);
    return { revoked: r.revoked.length, failed: r.failed.length, waiting: r.waiting };
  },
};
