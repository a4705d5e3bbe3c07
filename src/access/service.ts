/**
 * Just-in-time access: request → approvals → grant → revoke, each step a decision that is checked, stored,
 * audited (actor, environment, policy, duration, reason) and announced as an event. Slack-free: the bot and
 * the CLI call these functions and render the results and events their own way.
 *
 * Rules that hold here, not in the callers: approvers are the policy's (never the requester), `minApprovals`
 * counts distinct approvers, durations over the policy's maximum are refused naming the maximum, a
 * break-glass policy goes through the same approval path as any other (its approvers, never the requester,
 * `minApprovals` distinct people, a grant that expires after at most `maxDuration`), is announced loudly and
 * still asks for a post-hoc review, and a grant's bindings are created all-or-nothing.
 */
import type { AccessRequest } from '../store/types.js';
import { formatAccessDuration } from './duration.js';
import { grant } from './grant.js';
import { kubernetesUser } from './identity.js';
import {
  type AccessDeps,
  type AccessDetails,
  type AccessOutcome,
  auditDetails,
  emit,
  failure,
  ok,
  pendingExpiry,
  policyOf,
} from './outcome.js';
import { type AccessAsk, policyApprovers, resolveAccess } from './policy.js';

export { grant, kubectlContext } from './grant.js';
export * from './outcome.js';
export { type AccessListing, listAccess, reviewAccess, reviewOf } from './review.js';
export { denyAccess, revokeAccess } from './revoke.js';

export interface RequestInput extends AccessAsk {
  requester: string;
}

/** A new request: refused, or waiting for approvals (break-glass too: nothing is granted on a request alone). */
export async function requestAccess(
  deps: AccessDeps,
  input: RequestInput,
): Promise<AccessOutcome<AccessRequest>> {
  const resolved = resolveAccess(deps.model, input);
  if (!resolved.ok) {
    await deps.audit({
      actor: input.requester,
      env: input.env,
      action: 'access.refuse',
      details: {
        policy: input.target,
        duration: input.duration,
        reason: input.reason,
        why: resolved.message,
        code: resolved.code,
      },
    });
    return failure(resolved.message);
  }
  const { env, policy, durationSeconds, namespaces, clusterRole } = resolved.value;
  const identity = kubernetesUser(await deps.emailOf(input.requester), deps.model.identity);
  if (!identity.ok) {
    await deps.audit({
      actor: input.requester,
      env: env.name,
      action: 'access.refuse',
      details: { policy: policy.name, why: identity.message },
    });
    return failure(identity.message);
  }
  const details: AccessDetails = {
    k8sUser: identity.user,
    email: identity.email,
    scope: policy.scope,
    clusterRole,
    breakGlass: policy.breakGlass,
  };
  const request = await deps.store.createAccessRequest({
    env: env.name,
    policy: policy.name,
    role: policy.role,
    requester: input.requester,
    reason: input.reason.trim(),
    durationSeconds,
    minApprovals: policy.minApprovals,
    ...(namespaces.length > 0 ? { namespaces } : {}),
    details: details as unknown as Record<string, unknown>,
    now: deps.now(),
  });
  await deps.audit({
    actor: input.requester,
    env: env.name,
    action: 'access.request',
    details: auditDetails(request, { breakGlass: policy.breakGlass }),
  });
  const approvers = policyApprovers(deps.model, policy, env);
  await emit(deps, { type: 'requested', request, approvers });
  return ok(
    request,
    `requested ${policy.breakGlass ? 'BREAK-GLASS ' : ''}${policy.name} on ${env.name} for ${formatAccessDuration(durationSeconds)}; waiting for ${policy.minApprovals} approval(s)`,
  );
}

/**
 * One approver's decision: the policy's approvers only, never the requester, while the request is pending and
 * not past the environment's approval expiry; the last of `minApprovals` distinct approvals grants.
 */
export async function approveAccess(
  deps: AccessDeps,
  a: { requestId: string; approver: string },
): Promise<AccessOutcome<AccessRequest>> {
  const r = await deps.store.getAccessRequest(a.requestId);
  if (!r) return failure(`no access request "${a.requestId}"`);
  const refuse = async (why: string) => {
    await deps.audit({
      actor: a.approver,
      env: r.env,
      action: 'access.approve.refuse',
      details: auditDetails(r, { why }),
    });
    return failure<AccessRequest>(why);
  };
  const pe = policyOf(deps.model, r);
  if (!pe) return refuse(`policy "${r.policy}" or environment "${r.env}" is no longer in the spec`);
  if (a.approver === r.requester) return refuse('you cannot approve your own access request');
  const refs = policyApprovers(deps.model, pe.policy, pe.env);
  if (!(await deps.approvers.isApprover(a.approver, refs))) {
    return refuse(`only approvers of policy "${r.policy}" (${refs.join(', ') || 'none'}) may approve`);
  }
  if (r.status !== 'pending') return refuse(`the request is ${r.status}, not waiting for approval`);
  if (deps.now() >= pendingExpiry(deps.model, r))
    return refuse('the request expired before it was approved; ask again');
  const res = await deps.store.addAccessApproval({ requestId: r.id, approver: a.approver });
  if (!res) return failure(`no access request "${a.requestId}"`);
  if (!res.added) return failure('you already approved this request');
  await deps.audit({
    actor: a.approver,
    env: r.env,
    action: 'access.approve',
    details: auditDetails(res.request, {
      approvals: res.request.approvers.length,
      minApprovals: r.minApprovals,
    }),
  });
  if (!res.complete) {
    await emit(deps, { type: 'approval-added', request: res.request, approver: a.approver });
    return ok(
      res.request,
      `approved (${res.request.approvers.length} of ${r.minApprovals}); waiting for another approver`,
    );
  }
  return grant(deps, res.request, a.approver);
}

/** The kubectl context a requester uses (cluster names from the spec, user from the grant). */
