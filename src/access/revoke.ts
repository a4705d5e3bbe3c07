/** Ending access: a denial before any grant, a revocation (by hand or at expiry) that deletes the bindings. */
import type { AccessRequest } from '../store/types.js';
import { parseBindingRef } from './bindings.js';
import { type AccessDeps, type AccessOutcome, auditDetails, emit, failure, ok, policyOf } from './outcome.js';
import { policyApprovers, reviewers } from './policy.js';

export async function denyAccess(
  deps: AccessDeps,
  a: { requestId: string; actor: string; reason?: string },
): Promise<AccessOutcome<AccessRequest>> {
  const r = await deps.store.getAccessRequest(a.requestId);
  if (!r) return failure(`no access request "${a.requestId}"`);
  const pe = policyOf(deps.model, r);
  const isRequester = a.actor === r.requester;
  if (
    !isRequester &&
    !(pe && (await deps.approvers.isApprover(a.actor, policyApprovers(deps.model, pe.policy, pe.env))))
  ) {
    await deps.audit({
      actor: a.actor,
      env: r.env,
      action: 'access.deny.refuse',
      details: auditDetails(r, { why: 'not an approver' }),
    });
    return failure(`only approvers of policy "${r.policy}" (or the requester, to withdraw it) may deny`);
  }
  if (r.status !== 'pending' && r.status !== 'approved')
    return failure(`the request is ${r.status}; revoke a granted request instead`);
  const denied = await deps.store.denyAccessRequest({
    requestId: r.id,
    actor: a.actor,
    ...(a.reason ? { reason: a.reason } : {}),
  });
  if (!denied) return failure(`the request ${r.id} could not be denied (it changed meanwhile)`);
  await deps.audit({
    actor: a.actor,
    env: r.env,
    action: isRequester ? 'access.withdraw' : 'access.deny',
    details: auditDetails(denied, { denyReason: a.reason }),
  });
  await emit(deps, {
    type: 'denied',
    request: denied,
    actor: a.actor,
    ...(a.reason ? { reason: a.reason } : {}),
  });
  return ok(denied, isRequester ? 'withdrawn' : 'denied');
}

/** Deletes a grant's bindings; true when every one is gone (404 counts as gone). */
export async function deleteBindings(
  deps: AccessDeps,
  r: AccessRequest,
): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const kube = await deps.kube(r.env);
    for (const ref of r.bindingRefs) {
      const b = parseBindingRef(ref);
      if (!b) continue;
      if (b.kind === 'ClusterRoleBinding') await kube.deleteClusterRoleBinding(b.name);
      else await kube.deleteRoleBinding(b.namespace as string, b.name);
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export async function revokeAccess(
  deps: AccessDeps,
  a: { requestId: string; actor: string; reason?: string; system?: boolean },
): Promise<AccessOutcome<AccessRequest>> {
  const r = await deps.store.getAccessRequest(a.requestId);
  if (!r) return failure(`no access request "${a.requestId}"`);
  if (!a.system && a.actor !== r.requester) {
    const pe = policyOf(deps.model, r);
    const refs = pe
      ? [...policyApprovers(deps.model, pe.policy, pe.env), ...reviewers(deps.model, pe.env)]
      : deps.model.slack.approvers;
    if (!(await deps.approvers.isApprover(a.actor, refs))) {
      await deps.audit({
        actor: a.actor,
        env: r.env,
        action: 'access.revoke.refuse',
        details: auditDetails(r, { why: 'not an approver' }),
      });
      return failure(`only the requester or an approver of policy "${r.policy}" may revoke this grant`);
    }
  }
  if (r.status !== 'granted') return failure(`the request is ${r.status}, not an active grant`);
  const deleted = await deleteBindings(deps, r);
  if (!deleted.ok) {
    await deps.audit({
      actor: a.actor,
      env: r.env,
      action: 'access.revoke.fail',
      details: auditDetails(r, { error: deleted.error }),
    });
    await emit(deps, { type: 'failed', request: r, step: 'delete-bindings', error: deleted.error });
    return { kind: 'error', message: `the bindings of ${r.id} could not be deleted: ${deleted.error}` };
  }
  const expired = a.reason === 'expired';
  const revoked = await deps.store.markRevoked(r.id, {
    actor: a.actor,
    at: deps.now(),
    reason: a.reason ?? 'revoked',
  });
  if (!revoked) return failure(`the grant ${r.id} was already revoked`);
  await deps.audit({
    actor: a.actor,
    env: r.env,
    action: expired ? 'access.expire' : 'access.revoke',
    details: auditDetails(revoked, { bindings: r.bindingRefs, revokeReason: a.reason }),
  });
  await emit(
    deps,
    expired
      ? { type: 'expired', request: revoked }
      : { type: 'revoked', request: revoked, actor: a.actor, reason: a.reason ?? 'revoked' },
  );
  return ok(revoked, expired ? 'expired and revoked' : 'revoked');
}

/** The post-hoc review of a break-glass grant, by someone other than the person who used it. */
