/**
 * Revocations that wait for a grace period are remembered as a `revocation-scheduled` step of the rotation
 * that made them (key ids and due time; the store is the memory, so a restart loses nothing). A job revokes
 * every one that is due and records `revoke-old` on the same rotation, which also closes its thread.
 */
import type { RotationRecord } from '../store/types.js';
import type { RotationDeps } from './rotate.js';

export interface PendingRevocation {
  rotation: RotationRecord;
  keyIds: number[];
  dueAt: Date;
}

/** Scheduled revocations of successful rotations that have not been carried out yet. */
export function pendingRevocations(rotations: RotationRecord[]): PendingRevocation[] {
  const out: PendingRevocation[] = [];
  for (const r of rotations) {
    if (r.status !== 'succeeded') continue;
    const scheduled = r.steps.find((s) => s.step === 'revocation-scheduled' && s.status === 'ok');
    if (!scheduled) continue;
    if (r.steps.some((s) => s.step === 'revoke-old' && s.status === 'ok')) continue;
    const keyIds = (scheduled.details.keyIds as number[] | undefined) ?? [];
    const dueAt = new Date(String(scheduled.details.dueAt));
    if (keyIds.length === 0 || Number.isNaN(dueAt.getTime())) continue;
    out.push({ rotation: r, keyIds, dueAt });
  }
  return out;
}

export interface RevocationReport {
  revoked: Array<{ rotationId: string; env: string; secret: string; keys: number }>;
  failed: Array<{ rotationId: string; error: string }>;
  waiting: number;
}

export async function revokeDueCredentials(deps: RotationDeps, actor: string): Promise<RevocationReport> {
  const now = deps.now();
  const report: RevocationReport = { revoked: [], failed: [], waiting: 0 };
  const all = await deps.store.listRotations({ limit: 1000 });
  for (const p of pendingRevocations(all)) {
    if (p.dueAt > now) {
      report.waiting++;
      continue;
    }
    try {
      const linode = await deps.linode();
      let gone = 0;
      for (const id of p.keyIds) {
        await linode.revokeObjectStorageKey(id);
        gone++;
      }
      await deps.store.recordRotationStep(p.rotation.id, {
        step: 'revoke-old',
        status: 'ok',
        details: { keyIds: p.keyIds, dueAt: p.dueAt.toISOString() },
        at: now,
      });
      await deps.audit({
        actor,
        env: p.rotation.env,
        action: 'rotation.revoke-old',
        details: { rotationId: p.rotation.id, secret: p.rotation.secret, keyIds: p.keyIds },
      });
      report.revoked.push({
        rotationId: p.rotation.id,
        env: p.rotation.env,
        secret: p.rotation.secret,
        keys: gone,
      });
      if (deps.events) {
        try {
          await deps.events({
            type: 'revoked',
            rotationId: p.rotation.id,
            env: p.rotation.env,
            secret: p.rotation.secret,
            keys: gone,
            at: now,
          });
        } catch (err) {
          deps.warn?.('rotation event could not be delivered', { event: 'revoked', error: err });
        }
      }
    } catch (err) {
      // Left scheduled: the next run tries again. The old key staying valid a little longer is the safe side.
      report.failed.push({ rotationId: p.rotation.id, error: (err as Error).message });
    }
  }
  return report;
}
