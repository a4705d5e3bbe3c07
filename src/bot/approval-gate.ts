import type { Approval, ApprovalRequest, PlanRecord } from '../store/types.js';

/**
 * The bot's approval rules as one pure function: given what the store holds and who is asking, may this
 * user approve (or deny) this plan now? Every refusal is a value with a code (for the audit log and metrics)
 * and a sentence that says what to do next. The runner's apply gate checks the same facts again before it
 * consumes the approvals, so a bug here can refuse too much but never apply an unapproved plan.
 */
export type Refusal =
  | 'unknown-env'
  | 'not-required'
  | 'no-request'
  | 'ambiguous'
  | 'other-digest'
  | 'superseded'
  | 'expired'
  | 'used'
  | 'denied'
  | 'self-approval'
  | 'not-approver'
  | 'already-approved';

export type Judgement =
  | { ok: true; request: ApprovalRequest }
  | { ok: false; code: Refusal; message: string; request?: ApprovalRequest };

export interface GateInput {
  env: string;
  /** undefined: the environment is not in the spec. */
  policy?: { required: boolean; minApprovals: number };
  user: string;
  userIsApprover: boolean;
  /** Approval requests of this environment, newest first. */
  requests: ApprovalRequest[];
  /** The digest the user named: the full digest (button) or a prefix (`/infra approve env 1a2b`). */
  digest?: string;
  /** The latest plan of the environment: a request for an older digest is superseded. */
  latestPlan?: PlanRecord;
  /** Approvals recorded for the request's digest. */
  approvals: Approval[];
  now: Date;
  /** Deny: the requester may withdraw their own request; approvers may deny. */
  action?: 'approve' | 'deny';
}

export function judge(i: GateInput): Judgement {
  const action = i.action ?? 'approve';
  if (!i.policy)
    return { ok: false, code: 'unknown-env', message: `there is no environment "${i.env}" in the spec` };
  if (!i.policy.required)
    return {
      ok: false,
      code: 'not-required',
      message: `${i.env} does not require approvals; apply it with \`envc apply --env ${i.env}\``,
    };

  let candidates = i.requests;
  if (i.digest) {
    candidates = candidates.filter((r) => r.digest.startsWith(i.digest!));
    if (candidates.length === 0) {
      const pending = i.requests.find((r) => r.status === 'pending');
      return {
        ok: false,
        code: 'other-digest',
        message: pending
          ? `no plan of ${i.env} has digest ${i.digest}; the plan waiting for approval is \`${pending.digest.slice(0, 12)}\``
          : `no plan of ${i.env} with digest ${i.digest} is waiting for approval`,
      };
    }
    const digests = new Set(candidates.map((r) => r.digest));
    if (digests.size > 1)
      return {
        ok: false,
        code: 'ambiguous',
        message: `digest prefix ${i.digest} matches ${digests.size} plans of ${i.env}; give more characters`,
      };
  } else {
    const pending = candidates.filter((r) => r.status === 'pending');
    if (pending.length > 1) {
      return {
        ok: false,
        code: 'ambiguous',
        message: `${pending.length} plans of ${i.env} wait for approval; name one: ${pending.map((r) => `\`${r.digest.slice(0, 12)}\``).join(', ')}`,
      };
    }
    candidates = pending.length === 1 ? pending : candidates.slice(0, 1);
  }
  const request = candidates[0];
  if (!request)
    return {
      ok: false,
      code: 'no-request',
      message: `no plan of ${i.env} is waiting for approval; run \`/infra plan ${i.env}\``,
    };
  const d = request.digest.slice(0, 12);

  switch (request.status) {
    case 'denied':
      return {
        ok: false,
        code: 'denied',
        request,
        message: `the plan \`${d}\` of ${i.env} was denied${request.deniedBy ? ` by <@${request.deniedBy}>` : ''}; run a new plan`,
      };
    case 'applied':
      return {
        ok: false,
        code: 'used',
        request,
        message: `the plan \`${d}\` of ${i.env} was already applied; an approval is used once`,
      };
    case 'applying':
      return {
        ok: false,
        code: 'used',
        request,
        message: `the plan \`${d}\` of ${i.env} is being applied with the approvals it has; an approval is used once`,
      };
    case 'failed':
      return {
        ok: false,
        code: 'used',
        request,
        message: `the apply of \`${d}\` to ${i.env} failed and used its approvals; run \`/infra plan ${i.env}\` again`,
      };
    case 'expired':
      return {
        ok: false,
        code: 'expired',
        request,
        message: `the approval request for \`${d}\` of ${i.env} expired; run \`/infra plan ${i.env}\` again`,
      };
    case 'superseded':
      return {
        ok: false,
        code: 'superseded',
        request,
        message: `the plan \`${d}\` of ${i.env} was superseded by a newer plan`,
      };
    case 'approved':
      if (action === 'approve')
        return {
          ok: false,
          code: 'used',
          request,
          message: `the plan \`${d}\` of ${i.env} already has its approvals`,
        };
      break;
    case 'pending':
      break;
  }
  if (request.expiresAt.getTime() <= i.now.getTime()) {
    return {
      ok: false,
      code: 'expired',
      request,
      message: `the approval request for \`${d}\` of ${i.env} expired; run \`/infra plan ${i.env}\` again`,
    };
  }
  if (i.latestPlan && i.latestPlan.digest !== request.digest) {
    return {
      ok: false,
      code: 'superseded',
      request,
      message: `${i.env} has a newer plan (\`${i.latestPlan.digest.slice(0, 12)}\`) than \`${d}\`; approve that one instead`,
    };
  }
  if (action === 'deny') {
    if (i.user === request.requester || i.userIsApprover) return { ok: true, request };
    return {
      ok: false,
      code: 'not-approver',
      request,
      message: `only ${i.env}'s approvers or the requester may deny this plan`,
    };
  }
  if (i.user === request.requester) {
    return {
      ok: false,
      code: 'self-approval',
      request,
      message: `you requested this plan of ${i.env}; someone else among its approvers must approve it`,
    };
  }
  if (!i.userIsApprover)
    return { ok: false, code: 'not-approver', request, message: `you are not an approver of ${i.env}` };
  if (i.approvals.some((a) => a.approver === i.user && !a.used && a.expiresAt > i.now)) {
    return {
      ok: false,
      code: 'already-approved',
      request,
      message: `you already approved \`${d}\` of ${i.env}; it needs ${i.policy.minApprovals} distinct approver(s)`,
    };
  }
  return { ok: true, request };
}

/** Distinct approvers whose approval still counts: unused, unexpired, not the requester, still approvers. */
export function countingApprovals(
  approvals: Approval[],
  requester: string,
  approvers: Set<string>,
  now: Date,
): Approval[] {
  const seen = new Set<string>();
  const out: Approval[] = [];
  for (const a of [...approvals].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())) {
    if (
      a.used ||
      a.expiresAt <= now ||
      a.approver === requester ||
      !approvers.has(a.approver) ||
      seen.has(a.approver)
    )
      continue;
    seen.add(a.approver);
    out.push(a);
  }
  return out;
}
