import { environment } from '../compiler/model.js';
import type { ApprovalRequest } from '../store/types.js';
import { countingApprovals, type Judgement, judge } from './approval-gate.js';
import { type ApprovalState, approvalMessage, approvalReply } from './blocks/approval.js';
import { shortDigest, who } from './blocks/common.js';
import type { BotDeps } from './deps.js';
import { MessageKind } from './ids.js';
import { type PlanView, planView } from './plan-view.js';
import { type Posted, ref, reply, upsert } from './slack-messages.js';

/**
 * The approval flow: request → (approve × minApprovals | deny | expiry) → apply → ArgoCD sync, with the
 * request's Slack message re-rendered from the store after every step (chat.update, never a new parent).
 * The state lives in the store only — the request's status (store types/approvals.ts) and, for ArgoCD,
 * the audit log — so any replica can continue what another started.
 */
const key = (env: string, digest: string) => `${env}:${digest}`;

export function policyOf(deps: BotDeps, env: string) {
  return environment(deps.model, env)?.approvals;
}

/** Approval requests of an environment, newest first. */
async function requestsOf(deps: BotDeps, env: string): Promise<ApprovalRequest[]> {
  const all = await deps.store.listApprovalRequests({ env });
  return [...all].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export async function loadPlanView(deps: BotDeps, env: string, digest: string): Promise<PlanView> {
  const plan = await deps.store.getPlanByDigest(env, digest);
  return planView(env, digest, plan?.summary ?? {}, {
    createdBy: plan?.createdBy,
    createdAt: plan?.createdAt,
    revision: plan?.revision,
    origins: deps.origins,
  });
}

/**
 * Reads everything the approval message shows from the store: the request's status (its lifecycle, with the
 * apply's outcome as the runner recorded it), the plan, the approvals, and the ArgoCD sync decision.
 */
export async function loadApprovalState(
  deps: BotDeps,
  env: string,
  digest: string,
): Promise<ApprovalState | undefined> {
  const request = await deps.store.getApprovalRequest(env, digest);
  if (!request) return undefined;
  const policy = policyOf(deps, env);
  const now = deps.now();
  const [plan, approvals, members, syncs] = await Promise.all([
    loadPlanView(deps, env, digest),
    deps.store.listApprovals(env, digest),
    deps.approvers.members(policy?.approvers ?? []),
    // Filtered by digest, not by time: the store's and the bot's clocks need not agree.
    deps.store.listAudit({ env, action: 'argo.sync', limit: 50 }),
  ]);
  // Once the approvals are consumed (or about to be), the used ones still show who approved.
  const consumed = ['approved', 'applying', 'applied', 'failed'].includes(request.status);
  const shown = consumed
    ? dedupe(approvals.filter((a) => a.approver !== request.requester && members.has(a.approver)))
    : countingApprovals(approvals, request.requester, members, now);
  const state: ApprovalState = {
    plan,
    requester: request.requester,
    expiresAt: request.expiresAt,
    minApprovals: policy?.minApprovals ?? 1,
    approvals: shown.map((a) => ({ approver: a.approver, at: a.createdAt })),
    status: request.status,
  };
  switch (request.status) {
    case 'pending':
      // Past its expiry but not yet swept: already shown as expired (the buttons go away).
      if (request.expiresAt <= now) state.status = 'expired';
      break;
    case 'applied':
      if (request.finishedAt) state.appliedAt = request.finishedAt;
      break;
    case 'failed':
      state.error = request.error ?? 'unknown error';
      break;
    case 'denied':
      Object.assign(state, { deniedBy: request.deniedBy, reason: request.reason });
      break;
    default:
      break;
  }
  const argo = syncs.find((a) => a.details.digest === digest);
  if (argo) {
    state.argo = argo.details.error
      ? { error: String(argo.details.error) }
      : {
          revision: String(argo.details.revision ?? ''),
          applications: (argo.details.applications as string[] | undefined) ?? [],
        };
  }
  return state;
}

function dedupe<T extends { approver: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    if (seen.has(x.approver)) return false;
    seen.add(x.approver);
    return true;
  });
}

/** Re-renders the request's message from the store (posting it when it was never posted). */
export async function renderApproval(
  deps: BotDeps,
  env: string,
  digest: string,
): Promise<Posted | undefined> {
  const state = await loadApprovalState(deps, env, digest);
  if (!state) return undefined;
  return upsert(deps, MessageKind.approval, key(env, digest), approvalMessage(state));
}

async function thread(deps: BotDeps, env: string, digest: string, text: string): Promise<void> {
  const parent = await ref(deps, MessageKind.approval, key(env, digest));
  if (parent) await reply(deps, parent, approvalReply(text));
}

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

/** Applies an approved plan the bot requested, then (manual-sync environments) syncs ArgoCD. */
export async function applyApproved(deps: BotDeps, env: string, digest: string): Promise<void> {
  // The apply runs on behalf of the requester: the runner's gate then refuses approvals by that same
  // person, exactly as for an apply started from the command line.
  const request = await deps.store.getApprovalRequest(env, digest);
  const actor = request?.requester ?? deps.botActor;
  const outcome = await deps.runner.apply(env, digest, { actor });
  if (outcome.kind !== 'applied') {
    deps.metrics.approvals.inc({ env, decision: 'apply_failed' });
    await deps.audit({
      actor: deps.botActor,
      env,
      action: 'apply.fail',
      details: { digest, error: outcome.message, refused: outcome.kind === 'refused' },
    });
    await renderApproval(deps, env, digest);
    await thread(
      deps,
      env,
      digest,
      `:x: Apply of \`${shortDigest(digest)}\` ${outcome.kind === 'refused' ? 'was refused' : 'failed'}: ${outcome.message}`,
    );
    return;
  }
  // The runner recorded the outcome on the request (`applied`); the message is re-rendered from it.
  deps.metrics.approvals.inc({ env, decision: 'applied' });
  await deps.audit({
    actor: deps.botActor,
    env,
    action: 'apply',
    details: { digest, revision: outcome.revision ?? null },
  });
  await renderApproval(deps, env, digest);
  await thread(deps, env, digest, `:rocket: Applied \`${shortDigest(digest)}\` to ${env}`);
  await afterApply(deps, env, digest, outcome.revision);
}

/**
 * After an apply (by the bot, or by CI — see the approval sweeper): environments that sync manually get an
 * ArgoCD sync to exactly the approved revision. Runs once per (env, digest) across replicas.
 */
export async function afterApply(
  deps: BotDeps,
  env: string,
  digest: string,
  revision?: string,
): Promise<void> {
  const e = environment(deps.model, env);
  if (!e || e.argocd.autoSync) return;
  if (!(await deps.store.rememberSlackRequest(`argo:${env}:${digest}`))) return;
  const rev = revision ?? (await loadPlanView(deps, env, digest)).revision;
  let details: Record<string, unknown>;
  if (!deps.argo)
    details = {
      digest,
      error: 'no Kubernetes API configured for ArgoCD (ENVC_ARGO_KUBE_URL or in-cluster service account)',
    };
  else if (!rev) details = { digest, error: 'the plan records no git revision to sync to' };
  else {
    try {
      const r = await deps.argo.syncApplications(env, rev, {
        reason: `envc: approved digest ${shortDigest(digest)}`,
      });
      details = { digest, revision: rev, applications: r.applications, failed: r.failed };
      if (r.failed.length > 0) details.error = r.failed.map((f) => `${f.name}: ${f.error}`).join('; ');
      else if (r.applications.length === 0) details.error = `no ArgoCD applications labelled for ${env}`;
    } catch (err) {
      details = { digest, revision: rev, error: (err as Error).message };
    }
  }
  await deps.audit({ actor: deps.botActor, env, action: 'argo.sync', details });
  await renderApproval(deps, env, digest);
  await thread(
    deps,
    env,
    digest,
    details.error
      ? `:warning: ArgoCD sync of ${env}: ${String(details.error)}`
      : `:arrows_counterclockwise: ArgoCD sync of ${(details.applications as string[]).map((a) => `\`${a}\``).join(', ')} started at revision \`${String(rev).slice(0, 12)}\``,
  );
}

/** How long after an apply finished elsewhere the sweeper still looks at it. */
const SWEEP_FINISHED_MS = 7 * 24 * 3600_000;

/**
 * The approval sweeper (a scheduled job): expires pending requests nobody approved in time (the store moves
 * each to `expired` exactly once, so the expiry is posted and audited once across replicas), and finishes
 * the work after applies that happened elsewhere (CI): message update and ArgoCD sync.
 */
export async function sweepApprovals(deps: BotDeps): Promise<{ expired: number; applied: number }> {
  const now = deps.now();
  let expired = 0;
  let applied = 0;
  for (const r of await deps.store.expireApprovalRequests(now)) {
    expired += 1;
    deps.metrics.approvals.inc({ env: r.env, decision: 'expired' });
    await deps.audit({
      actor: deps.botActor,
      env: r.env,
      action: 'approval.expire',
      details: { digest: r.digest, requester: r.requester },
    });
    await renderApproval(deps, r.env, r.digest);
    await thread(
      deps,
      r.env,
      r.digest,
      `:alarm_clock: The approval request for \`${shortDigest(r.digest)}\` expired without enough approvals`,
    );
  }
  for (const r of await deps.store.listApprovalRequests({ status: ['applied', 'failed'] })) {
    if (!r.finishedAt || now.getTime() - r.finishedAt.getTime() > SWEEP_FINISHED_MS) continue;
    if (!(await ref(deps, MessageKind.approval, key(r.env, r.digest)))) continue;
    if (!(await deps.store.rememberSlackRequest(`${r.status}-seen:${r.env}:${r.digest}`))) continue;
    applied += 1;
    await renderApproval(deps, r.env, r.digest);
    if (r.status === 'applied') await afterApply(deps, r.env, r.digest);
  }
  return { expired, applied };
}
