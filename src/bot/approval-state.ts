import { environment } from '../compiler/model.js';
import type { ApprovalRequest } from '../store/types.js';
import { countingApprovals } from './approval-gate.js';
import { type ApprovalState, approvalMessage, approvalReply } from './blocks/approval.js';
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
export const approvalKey = (env: string, digest: string) => `${env}:${digest}`;
const key = approvalKey;
export function policyOf(deps: BotDeps, env: string) {
  return environment(deps.model, env)?.approvals;
}

/** Approval requests of an environment, newest first. */
export async function requestsOf(deps: BotDeps, env: string): Promise<ApprovalRequest[]> {
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
  return upsert(deps, MessageKind.approval, key(env, digest), approvalMessage(state, deps.pages));
}

export async function thread(deps: BotDeps, env: string, digest: string, text: string): Promise<void> {
  const parent = await ref(deps, MessageKind.approval, key(env, digest));
  if (parent) await reply(deps, parent, approvalReply(text));
}
