/**
 * Just-in-time access: request → approvals → grant → revoke, each step a decision that is checked, stored,
 * audited (actor, environment, policy, duration, reason) and announced as an event. Slack-free: the bot and
 * the CLI call these functions and render the results and events their own way.
 *
 * Rules that hold here, not in the callers: approvers are the policy's (never the requester), `minApprovals`
 * counts distinct approvers, durations over the policy's maximum are refused naming the maximum, a
 * break-glass policy grants at once (and asks for a post-hoc review), and a grant's bindings are created
 * all-or-nothing.
 */
import type { AccessPolicyModel, EnvironmentModel, Model } from '../compiler/model.js';
import { environment } from '../compiler/model.js';
import type { KubernetesApi } from '../integrations/kubernetes.js';
import type { AccessRequest, Store } from '../store/types.js';
import { bindingRef, GRANT_ID_ANNOTATION, grantBindings, parseBindingRef } from './bindings.js';
import { formatAccessDuration } from './duration.js';
import type { AccessEvent, AccessEventSink, KubectlContext } from './events.js';
import { kubernetesUser } from './identity.js';
import { type AccessAsk, policyApprovers, resolveAccess, reviewers } from './policy.js';

export interface AccessDeps {
  store: Store;
  model: Model;
  now: () => Date;
  /** The Kubernetes API of one environment. */
  kube(env: string): Promise<KubernetesApi>;
  /** One audit entry (store + structured log line), e.g. the bot's Auditor. */
  audit(d: { actor: string; env?: string; action: string; details?: Record<string, unknown> }): Promise<void>;
  /** Resolves approver refs (Slack user ids, groups, handles). */
  approvers: { isApprover(user: string, refs: readonly string[]): Promise<boolean> };
  /** The requester's profile email (Slack users.info); undefined when unknown. */
  emailOf(user: string): Promise<string | undefined>;
  events?: AccessEventSink;
  /** Where event delivery failures are reported (they never undo a decision). */
  warn?(msg: string, fields?: Record<string, unknown>): void;
}

export type AccessOutcome<T> =
  | { kind: 'success'; value: T; message: string }
  | { kind: 'failure'; message: string }
  | { kind: 'error'; message: string };

const ok = <T>(value: T, message: string): AccessOutcome<T> => ({ kind: 'success', value, message });
const failure = <T>(message: string): AccessOutcome<T> => ({ kind: 'failure', message });

/** The details envc keeps on each request (the store's free-form `details`). */
export interface AccessDetails {
  k8sUser: string;
  email: string;
  scope: 'namespace' | 'cluster';
  clusterRole: string;
  breakGlass: boolean;
}

export function detailsOf(r: AccessRequest): AccessDetails {
  return r.details as unknown as AccessDetails;
}

function policyOf(
  model: Model,
  r: AccessRequest,
): { policy: AccessPolicyModel; env: EnvironmentModel } | undefined {
  const policy = model.accessPolicies.find((p) => p.name === r.policy);
  const env = environment(model, r.env);
  return policy && env ? { policy, env } : undefined;
}

async function emit(deps: AccessDeps, e: AccessEvent): Promise<void> {
  if (!deps.events) return;
  try {
    await deps.events(e);
  } catch (err) {
    deps.warn?.('access event could not be delivered', { event: e.type, error: err });
  }
}

/** Everything the audit log needs about a request, in one shape. */
function auditDetails(r: AccessRequest, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId: r.id,
    policy: r.policy,
    role: r.role,
    requester: r.requester,
    duration: formatAccessDuration(r.durationSeconds),
    durationSeconds: r.durationSeconds,
    reason: r.reason,
    ...extra,
  };
}

export interface RequestInput extends AccessAsk {
  requester: string;
}

/** A new request: refused, waiting for approvals, or (break-glass) granted at once. */
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
    minApprovals: policy.breakGlass ? 0 : policy.minApprovals,
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
  if (policy.breakGlass) {
    // Break-glass: no approval, granted now; the grant event alerts the channel and asks for a review.
    const approved = request.status === 'approved' ? request : await markBreakGlassApproved(deps, request);
    if (!approved)
      return { kind: 'error', message: `break-glass request ${request.id} could not be moved to approved` };
    return grant(deps, approved, input.requester);
  }
  const approvers = policyApprovers(deps.model, policy, env);
  await emit(deps, { type: 'requested', request, approvers });
  return ok(
    request,
    `requested ${policy.name} on ${env.name} for ${formatAccessDuration(durationSeconds)}; waiting for ${policy.minApprovals} approval(s)`,
  );
}

/**
 * A break-glass request needs no approver; the store moves requests to `approved` through approvals, so the
 * grant is recorded as approved by the policy itself (`break-glass:<policy>`), never by a person.
 */
async function markBreakGlassApproved(
  deps: AccessDeps,
  r: AccessRequest,
): Promise<AccessRequest | undefined> {
  const res = await deps.store.addAccessApproval({ requestId: r.id, approver: `break-glass:${r.policy}` });
  return res?.request.status === 'approved' ? res.request : undefined;
}

/** How long a request may wait for approvals: the environment's approval expiry. */
export function pendingExpiry(model: Model, r: AccessRequest): Date {
  const env = environment(model, r.env);
  return new Date(r.createdAt.getTime() + (env?.approvals.expiresAfterSeconds ?? 3600) * 1000);
}

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
export function kubectlContext(model: Model, r: AccessRequest): KubectlContext {
  const env = environment(model, r.env);
  const d = detailsOf(r);
  const cluster = env?.cluster.label ?? `${model.platform}-${r.env}`;
  const context = `envc-${r.env}`;
  const namespaces = r.namespaces ?? [];
  const ns = namespaces[0];
  return {
    context,
    cluster,
    user: d.k8sUser,
    namespaces,
    commands: [
      `kubectl config set-context ${context} --cluster=${cluster} --user=${d.k8sUser}${ns ? ` --namespace=${ns}` : ''}`,
      `kubectl --context ${context} auth can-i --list${ns ? ` -n ${ns}` : ''}`,
    ],
  };
}

/** Creates the bindings (all or none), records the grant and announces it. */
export async function grant(
  deps: AccessDeps,
  r: AccessRequest,
  actor: string,
): Promise<AccessOutcome<AccessRequest>> {
  const pe = policyOf(deps.model, r);
  const d = detailsOf(r);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + r.durationSeconds * 1000);
  const objects = grantBindings({
    id: r.id,
    env: r.env,
    policy: r.policy,
    scope: d.scope,
    namespaces: r.namespaces ?? [],
    clusterRole: d.clusterRole,
    user: d.k8sUser,
    requester: r.requester,
    approvers: r.approvers.filter((x) => !x.startsWith('break-glass:')),
    reason: r.reason,
    expiresAt,
  });
  const applied: typeof objects = [];
  let step = 'connect';
  try {
    if (!pe) throw new Error(`policy "${r.policy}" or environment "${r.env}" is no longer in the spec`);
    const kube = await deps.kube(r.env);
    step = 'create-bindings';
    // `create`, not apply: the bot's RBAC (rbac.ts) lets it create and delete bindings, never change one.
    for (const o of objects) {
      const made = await kube.create(o);
      if (!made.created && made.object.metadata.annotations?.[GRANT_ID_ANNOTATION] !== r.id) {
        throw new Error(`${bindingRef(o)} already exists and is not this grant's`);
      }
      applied.push(o);
    }
  } catch (err) {
    const error = (err as Error).message;
    // All or nothing: a half-made grant is removed again so nothing outlives the failed decision.
    const cleanup: string[] = [];
    if (applied.length > 0) {
      try {
        const kube = await deps.kube(r.env);
        for (const o of applied)
          await kube.delete({
            apiVersion: o.apiVersion,
            kind: o.kind,
            name: o.metadata.name,
            ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          });
      } catch (cleanupErr) {
        cleanup.push((cleanupErr as Error).message);
      }
    }
    const failed = (await deps.store.markAccessFailed(r.id, error)) ?? r;
    await deps.audit({
      actor,
      env: r.env,
      action: 'access.fail',
      details: auditDetails(r, { step, error, cleanupErrors: cleanup }),
    });
    await emit(deps, { type: 'failed', request: failed, step, error });
    return { kind: 'error', message: `the grant could not be created (${step}): ${error}` };
  }
  const granted = await deps.store.markGranted(r.id, {
    grantedAt: now,
    expiresAt,
    bindingRefs: objects.map(bindingRef),
  });
  if (!granted) {
    // Another replica granted it first; the bindings are the same objects (same names), so nothing is extra.
    const current = await deps.store.getAccessRequest(r.id);
    return current ? ok(current, 'already granted') : failure(`no access request "${r.id}"`);
  }
  await deps.audit({
    actor,
    env: r.env,
    action: d.breakGlass ? 'access.break-glass' : 'access.grant',
    details: auditDetails(granted, {
      expiresAt: expiresAt.toISOString(),
      bindings: granted.bindingRefs,
      approvers: granted.approvers,
      k8sUser: d.k8sUser,
    }),
  });
  await emit(deps, {
    type: 'granted',
    request: granted,
    actor,
    kubectl: kubectlContext(deps.model, granted),
    breakGlass: d.breakGlass,
  });
  return ok(granted, `granted ${r.policy} on ${r.env} until ${expiresAt.toISOString()}`);
}

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
async function deleteBindings(
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
export async function reviewAccess(
  deps: AccessDeps,
  a: { requestId: string; reviewer: string; notes: string },
): Promise<AccessOutcome<AccessRequest>> {
  const r = await deps.store.getAccessRequest(a.requestId);
  if (!r) return failure(`no access request "${a.requestId}"`);
  if (!detailsOf(r).breakGlass) return failure('only break-glass grants need a review');
  if (a.reviewer === r.requester) return failure('the person who used break-glass cannot review it');
  const env = environment(deps.model, r.env);
  const refs = env ? reviewers(deps.model, env) : deps.model.slack.approvers;
  if (!(await deps.approvers.isApprover(a.reviewer, refs)))
    return failure(`only approvers of ${r.env} (${refs.join(', ')}) may review break-glass use`);
  if (a.notes.trim().length < 10) return failure('write what was done and why (at least 10 characters)');
  const existing = await reviewOf(deps.store, r.id);
  if (existing) return failure(`already reviewed by ${existing.actor}`);
  await deps.audit({
    actor: a.reviewer,
    env: r.env,
    action: 'access.review',
    details: auditDetails(r, { notes: a.notes.trim() }),
  });
  await emit(deps, { type: 'reviewed', request: r, reviewer: a.reviewer, notes: a.notes.trim() });
  return ok(r, 'review recorded');
}

/** The recorded review of a break-glass grant, if any (reviews live in the audit log). */
export async function reviewOf(
  store: Store,
  requestId: string,
): Promise<{ actor: string; at: Date; notes: string } | undefined> {
  const entries = await store.listAudit({ action: 'access.review', limit: 1000 });
  const e = entries.find((x) => x.details.requestId === requestId);
  return e ? { actor: e.actor, at: e.at, notes: String(e.details.notes ?? '') } : undefined;
}

export interface AccessListing {
  request: AccessRequest;
  /** Human status: pending (n/m), granted until …, review pending, … */
  state: string;
  reviewPending: boolean;
}

/** Requests worth showing: pending and granted ones, plus break-glass grants still waiting for review. */
export async function listAccess(
  deps: Pick<AccessDeps, 'store' | 'model' | 'now'>,
  filter: { env?: string; all?: boolean } = {},
): Promise<AccessListing[]> {
  const all = await deps.store.listAccessRequests(filter.env ? { env: filter.env } : {});
  const out: AccessListing[] = [];
  for (const r of all) {
    const bg = detailsOf(r).breakGlass === true;
    const reviewPending =
      bg &&
      (r.status === 'granted' || r.status === 'revoked' || r.status === 'expired') &&
      !(await reviewOf(deps.store, r.id));
    const live = r.status === 'pending' || r.status === 'approved' || r.status === 'granted';
    if (!filter.all && !live && !reviewPending) continue;
    if (r.status === 'pending' && deps.now() >= pendingExpiry(deps.model, r) && !filter.all) continue;
    const state =
      r.status === 'pending'
        ? `pending (${r.approvers.length}/${r.minApprovals} approvals)`
        : r.status === 'granted'
          ? `granted until ${r.expiresAt?.toISOString()}`
          : r.status;
    out.push({ request: r, state: reviewPending ? `${state}, review pending` : state, reviewPending });
  }
  return out.sort((a, b) => b.request.createdAt.getTime() - a.request.createdAt.getTime());
}
