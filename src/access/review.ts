/** Reading access: post-hoc reviews of break-glass grants and the listing behind `envc access list` and /infra. */
import { environment } from '../compiler/model.js';
import type { AccessRequest, Store } from '../store/types.js';
import {
  type AccessDeps,
  type AccessOutcome,
  auditDetails,
  detailsOf,
  emit,
  failure,
  ok,
  pendingExpiry,
} from './outcome.js';
import { reviewers } from './policy.js';

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
