/**
 * Requesting, approving and denying (the decisions people make in Slack). The request's state and its Slack
 * message live in approval-state.ts; what happens after approval (the bot's apply, the ArgoCD sync, the
 * sweeper) in approval-apply.ts.
 */

import { applyApproved } from './approval-apply.js';
import type { Judgement } from './approval-gate.js';
import { countingApprovals, judge } from './approval-gate.js';
import { policyOf, renderApproval, requestsOf, thread } from './approval-state.js';
import { shortDigest, who } from './blocks/common.js';
import type { BotDeps } from './deps.js';
import type { Posted } from './slack-messages.js';

export { loadApprovalState, loadPlanView, policyOf, renderApproval } from './approval-state.js';

/**
 * Opens (or finds) the approval request for a plan and posts its message. `applyBy: 'bot'` when the plan
 * came from Slack (the bot applies once approved); 'ci' when a waiting `envc apply` will apply it.
 */
export async function requestApproval(
  deps: BotDeps,
  r: { env: string; digest: string; requester: string; expiresAt?: Date; applyBy: 'bot' | 'ci' },
): Promise<Posted | undefined> {
  const policy = policyOf(deps, r.env);
  if (!policy?.required) return undefined;
  const expiresAt = r.expiresAt ?? new Date(deps.now().getTime() + policy.expiresAfterSeconds * 1000);
  // A newer plan supersedes older open requests of the same environment (their buttons go away).
  for (const old of await deps.store.supersedeApprovalRequests(r.env, r.digest)) {
    await renderApproval(deps, r.env, old.digest).catch((err) =>
      deps.log.warn('could not update superseded approval message', { env: r.env, error: err }),
    );
  }
  const existing = await deps.store.getApprovalRequest(r.env, r.digest);
  await deps.store.requestApproval({ env: r.env, digest: r.digest, requester: r.requester, expiresAt });
  if (!existing) {
    await deps.audit({
      actor: r.requester,
      env: r.env,
      action: 'approval.request',
      details: { digest: r.digest, applyBy: r.applyBy, expiresAt: expiresAt.toISOString() },
    });
  }
  return renderApproval(deps, r.env, r.digest);
}

/** Loads what `judge` needs and judges. */
export async function judgeUser(
  deps: BotDeps,
  a: { env: string; user: string; digest?: string; action: 'approve' | 'deny' },
): Promise<Judgement> {
  const policy = policyOf(deps, a.env);
  const [requests, latestPlan, isApprover] = await Promise.all([
    requestsOf(deps, a.env),
    deps.store.latestPlan(a.env),
    deps.approvers.isApprover(a.user, policy?.approvers ?? []),
  ]);
  const target = a.digest
    ? requests.find((r) => r.digest.startsWith(a.digest!))
    : requests.find((r) => r.status === 'pending');
  const approvals = target ? await deps.store.listApprovals(a.env, target.digest) : [];
  return judge({
    env: a.env,
    policy,
    user: a.user,
    userIsApprover: isApprover,
    requests,
    digest: a.digest,
    latestPlan,
    approvals,
    now: deps.now(),
    action: a.action,
  });
}

export async function recordRefusal(
  deps: BotDeps,
  a: { env: string; user: string; digest?: string; action: 'approve' | 'deny' },
  j: Judgement & { ok: false },
): Promise<void> {
  deps.metrics.approvals.inc({ env: a.env, decision: 'refused' });
  await deps.audit({
    actor: a.user,
    env: a.env,
    action: `${a.action === 'approve' ? 'approval' : 'denial'}.refuse`,
    details: { digest: j.request?.digest ?? a.digest ?? null, code: j.code, reason: j.message },
  });
}

/**
 * Records one approval after the confirmation modal (judging again: the world may have changed while the
 * modal was open). Completes the request when enough distinct approvers approved; the bot then applies the
 * plans it requested itself.
 */
export async function confirmApproval(
  deps: BotDeps,
  a: { env: string; digest: string; user: string },
): Promise<Judgement & { complete?: boolean }> {
  const j = await judgeUser(deps, { ...a, action: 'approve' });
  if (!j.ok) {
    await recordRefusal(deps, { ...a, action: 'approve' }, j);
    return j;
  }
  const policy = policyOf(deps, a.env)!;
  const now = deps.now();
  await deps.store.addApproval({
    env: a.env,
    digest: j.request.digest,
    approver: a.user,
    requester: j.request.requester,
    // The user id comes from a request Bolt verified (signing secret, 5-minute window).
    via: 'slack',
    expiresAt: new Date(now.getTime() + policy.expiresAfterSeconds * 1000),
  });
  deps.metrics.approvals.inc({ env: a.env, decision: 'approved' });
  await deps.audit({
    actor: a.user,
    env: a.env,
    action: 'approval.add',
    details: { digest: j.request.digest, requester: j.request.requester },
  });
  const members = await deps.approvers.members(policy.approvers);
  const counting = countingApprovals(
    await deps.store.listApprovals(a.env, j.request.digest),
    j.request.requester,
    members,
    now,
  );
  const complete = counting.length >= policy.minApprovals;
  if (complete) await deps.store.markRequestApproved(a.env, j.request.digest);
  await renderApproval(deps, a.env, j.request.digest);
  await thread(
    deps,
    a.env,
    j.request.digest,
    `:white_check_mark: ${who(a.user)} approved \`${shortDigest(j.request.digest)}\` (${counting.length}/${policy.minApprovals})`,
  );
  if (complete && (await appliedByBot(deps, a.env, j.request.digest))) {
    void deps.tasks.run(`apply ${a.env}`, () => applyApproved(deps, a.env, j.request.digest));
  }
  return { ...j, complete };
}

async function appliedByBot(deps: BotDeps, env: string, digest: string): Promise<boolean> {
  const entries = await deps.store.listAudit({ env, action: 'approval.request', limit: 100 });
  return entries.some((e) => e.details.digest === digest && e.details.applyBy === 'bot');
}

export async function denyPlan(
  deps: BotDeps,
  a: { env: string; digest?: string; user: string; reason?: string },
): Promise<Judgement> {
  const j = await judgeUser(deps, { env: a.env, user: a.user, digest: a.digest, action: 'deny' });
  if (!j.ok) {
    await recordRefusal(deps, { ...a, action: 'deny' }, j);
    return j;
  }
  await deps.store.denyApproval({ env: a.env, digest: j.request.digest, actor: a.user, reason: a.reason });
  deps.metrics.approvals.inc({ env: a.env, decision: 'denied' });
  await deps.audit({
    actor: a.user,
    env: a.env,
    action: 'approval.deny',
    details: { digest: j.request.digest, reason: a.reason ?? null },
  });
  await renderApproval(deps, a.env, j.request.digest);
  await thread(
    deps,
    a.env,
    j.request.digest,
    `:no_entry: ${who(a.user)} denied \`${shortDigest(j.request.digest)}\`${a.reason ? `: ${a.reason}` : ''}`,
  );
  return j;
}
