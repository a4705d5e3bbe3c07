/**
 * The approval gate, as a pure function. An environment whose spec requires approvals is applied only with
 * at least `minApprovals` approvals, each by a distinct allowed approver who is not the requester, for this
 * exact digest, unexpired and unused, from a verified identity (a signed Slack request or a CI OIDC token). Every approval that does not count says why, so the refusal can tell
 * people exactly what is missing.
 */
import type { Approval } from '../store/types.js';

export type RejectReason =
  | 'other-digest'
  | 'used'
  | 'expired'
  | 'unverified'
  | 'self-approval'
  | 'not-approver';

export interface Rejection {
  approvalId: string;
  approver: string;
  reason: RejectReason;
  message: string;
}

export interface GateInput {
  env: string;
  digest: string;
  /** Who is applying now. */
  requester: string;
  minApprovals: number;
  /** Every approval recorded for the environment (any digest). */
  approvals: readonly Approval[];
  /** Approver membership, resolved beforehand for each distinct approver. */
  allowed: ReadonlySet<string>;
  approversText: string;
  now: Date;
}

export type GateDecision =
  | { ok: true; approvalIds: string[]; approvers: string[] }
  | { ok: false; valid: string[]; needed: number; rejections: Rejection[] };

const short = (d: string) => d.slice(0, 12);

export function judgeApprovals(i: GateInput): GateDecision {
  const rejections: Rejection[] = [];
  const valid = new Map<string, Approval>();
  for (const a of i.approvals) {
    const reject = (reason: RejectReason, message: string) =>
      rejections.push({ approvalId: a.id, approver: a.approver, reason, message });
    if (a.digest !== i.digest) {
      // Only live approvals of other plans are worth mentioning ("you approved an older plan").
      if (!a.used && a.expiresAt > i.now)
        reject(
          'other-digest',
          `${a.approver} approved plan ${short(a.digest)}, not this plan ${short(i.digest)}`,
        );
      continue;
    }
    if (a.used)
      reject(
        'used',
        `${a.approver}'s approval of ${short(a.digest)} was already used${a.usedAt ? ` at ${a.usedAt.toISOString()}` : ''}; an approval is used once`,
      );
    else if (a.expiresAt <= i.now)
      reject('expired', `${a.approver}'s approval expired at ${a.expiresAt.toISOString()}`);
    else if (a.via !== 'slack' && a.via !== 'github-oidc')
      // Recorded without a proven identity (before envc checked them): a name alone never approves.
      reject(
        'unverified',
        `${a.approver}'s approval was recorded without a verified identity; approve in Slack or from CI with an OIDC token`,
      );
    else if (a.approver === i.requester || a.approver === a.requester) {
      reject('self-approval', `${a.approver} cannot approve a change they requested`);
    } else if (!i.allowed.has(a.approver)) {
      reject('not-approver', `${a.approver} is not an approver of ${i.env} (approvers: ${i.approversText})`);
    } else if (!valid.has(a.approver)) valid.set(a.approver, a);
  }
  const needed = Math.max(1, i.minApprovals);
  if (valid.size >= needed) {
    const chosen = [...valid.values()].slice(0, needed);
    return { ok: true, approvalIds: chosen.map((a) => a.id), approvers: chosen.map((a) => a.approver) };
  }
  return { ok: false, valid: [...valid.keys()], needed, rejections };
}

/** What the refusal says, one reason per line. */
export function gateReasons(d: Extract<GateDecision, { ok: false }>): string[] {
  const lines = d.rejections.map((r) => r.message);
  const missing = d.needed - d.valid.length;
  lines.push(
    d.valid.length === 0
      ? `no valid approval yet (${d.needed} needed)`
      : `${d.valid.length} of ${d.needed} approvals (${d.valid.join(', ')}); ${missing} more needed`,
  );
  return lines;
}
