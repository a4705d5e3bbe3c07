import * as access from './repos/access.js';
import * as approvals from './repos/approvals.js';
import * as auditLog from './repos/audit.js';
import * as incidents from './repos/incidents.js';
import * as locks from './repos/locks.js';
import * as misc from './repos/misc.js';
import * as plans from './repos/plans.js';
import * as rotations from './repos/rotations.js';
import type { Db } from './sql.js';
import type { JobLock, Store } from './types.js';

/**
 * The Store over any `Db`: each method delegates to the shared SQL in repos/. Back ends differ only in how
 * they connect and in how job locks are taken.
 */
export function sqlStore(
  db: Db,
  kind: Store['kind'],
  tryJobLock: (name: string) => Promise<JobLock | undefined>,
): Store {
  return {
    kind,
    recordPlan: (p) => plans.recordPlan(db, p),
    latestPlan: (env) => plans.latestPlan(db, env),
    getPlanByDigest: (env, digest) => plans.getPlanByDigest(db, env, digest),
    listPlans: (env, limit) => plans.listPlans(db, env, limit),
    markPlanApplied: (id, by) => plans.markPlanApplied(db, id, by),

    requestApproval: (r) => approvals.requestApproval(db, r),
    getApprovalRequest: (env, digest) => approvals.getApprovalRequest(db, env, digest),
    listApprovalRequests: (f) => approvals.listApprovalRequests(db, f),
    addApproval: (a) => approvals.addApproval(db, a),
    listApprovals: (env, digest) => approvals.listApprovals(db, env, digest),
    markRequestApproved: (env, digest) => approvals.markRequestApproved(db, env, digest),
    consumeApprovals: (c) => approvals.consumeApprovals(db, c),
    recordApplyOutcome: (o) => approvals.recordApplyOutcome(db, o),
    denyApproval: (d) => approvals.denyApproval(db, d),
    expireApprovalRequests: (now) => approvals.expireApprovalRequests(db, now),
    supersedeApprovalRequests: (env, keep) => approvals.supersedeApprovalRequests(db, env, keep),

    acquireLock: (env, holder, ttl, now) => locks.acquireLock(db, env, holder, ttl, now),
    heartbeat: (env, holder, now) => locks.heartbeat(db, env, holder, now),
    releaseLock: (env, holder) => locks.releaseLock(db, env, holder),
    getLock: (env) => locks.getLock(db, env),
    listLocks: () => locks.listLocks(db),
    forceRelease: (env) => locks.forceRelease(db, env),

    audit: (e) => auditLog.audit(db, e),
    listAudit: (f) => auditLog.listAudit(db, f),

    openOrUpdateIncident: (u) => incidents.openOrUpdateIncident(db, u),
    resolveIncident: (id, by) => incidents.resolveIncident(db, id, by),
    getOpenIncident: (env) => incidents.getOpenIncident(db, env),
    getIncident: (id) => incidents.getIncident(db, id),
    listIncidents: (f) => incidents.listIncidents(db, f),
    setIncidentSlackThread: (id, channel, ts) => incidents.setIncidentSlackThread(db, id, channel, ts),
    ackIncident: (id, actor, now) => incidents.ackIncident(db, id, actor, now),
    snoozeIncident: (id, until) => incidents.snoozeIncident(db, id, until),

    createAccessRequest: (r) => access.createAccessRequest(db, r),
    addAccessApproval: (a) => access.addAccessApproval(db, a),
    denyAccessRequest: (d) => access.denyAccessRequest(db, d),
    getAccessRequest: (id) => access.getAccessRequest(db, id),
    listAccessRequests: (f) => access.listAccessRequests(db, f),
    markGranted: (id, g) => access.markGranted(db, id, g),
    markRevoked: (id, r) => access.markRevoked(db, id, r),
    markAccessFailed: (id, e) => access.markAccessFailed(db, id, e),
    setAccessSlackMessage: (id, channel, ts) => access.setAccessSlackMessage(db, id, channel, ts),
    listGrants: (f) => access.listGrants(db, f),
    listExpiredGrants: (now) => access.listExpiredGrants(db, now),

    recordRotationStart: (r) => rotations.recordRotationStart(db, r),
    recordRotationStep: (id, s) => rotations.recordRotationStep(db, id, s),
    recordRotationFinish: (id, f) => rotations.recordRotationFinish(db, id, f),
    lastRotation: (env, secret, status) => rotations.lastRotation(db, env, secret, status),
    listRotations: (f) => rotations.listRotations(db, f),

    recordProbe: (p) => misc.recordProbe(db, p),
    probeSeries: (env, since, target) => misc.probeSeries(db, env, since, target),
    rememberSlackRequest: (key, now) => misc.rememberSlackRequest(db, key, now),
    saveMessageRef: (ref) => misc.saveMessageRef(db, ref),
    getMessageRef: (kind, key) => misc.getMessageRef(db, kind, key),

    tryJobLock,
    close: () => db.close(),
  };
}

/** Job locks for a single-process back end: a Set of held names. */
export function processJobLocks(): (name: string) => Promise<JobLock | undefined> {
  const held = new Set<string>();
  return async (name) => {
    if (held.has(name)) return undefined;
    held.add(name);
    let released = false;
    return {
      name,
      release: async () => {
        if (released) return;
        released = true;
        held.delete(name);
      },
    };
  };
}
