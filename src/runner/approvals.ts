/**
 * Recording approvals and denials (the CLI's `envc approvals`; the bot has its own front end over the same
 * store). Checks here fail early with a clear reason; the apply gate checks everything again before use.
 */
import type { Approval, ApprovalRequest, Store } from '../store/types.js';
import { Codes } from './context.js';
import { judgeApprovals } from './gate.js';
import type { IsApprover } from './identity.js';
import type { PolicySource } from './policy.js';

export interface ApproveDeps {
  store: Store;
  policy: PolicySource;
  isApprover: IsApprover;
  now: () => Date;
}

export type ApproveResult =
  | { ok: true; approval: Approval; request?: ApprovalRequest; digest: string }
  | { ok: false; code: string; message: string };

/** A full digest, or an unambiguous prefix (at least 8 characters) of a recorded plan's digest. */
export async function resolveDigest(
  store: Store,
  env: string,
  digest: string,
): Promise<{ ok: true; digest: string } | { ok: false; message: string }> {
  if (/^[0-9a-f]{64}$/.test(digest)) return { ok: true, digest };
  if (!/^[0-9a-f]{8,63}$/.test(digest))
    return {
      ok: false,
      message: `"${digest}" is not a plan digest (64 hex characters, or a prefix of at least 8)`,
    };
  const matches = new Set(
    (await store.listPlans(env, 200)).map((p) => p.digest).filter((d) => d.startsWith(digest)),
  );
  if (matches.size === 1) return { ok: true, digest: [...matches][0]! };
  return {
    ok: false,
    message:
      matches.size === 0
        ? `no plan of ${env} has a digest starting ${digest}`
        : `digest prefix ${digest} matches ${matches.size} plans of ${env}; give more characters`,
  };
}

/**
 * Records an approval by an identity the caller has proven (`via`: a signed Slack request, or a verified
 * GitHub Actions OIDC token — whose claims go to the audit log as `evidence`). There is no unverified path:
 * a name on a command line is not an identity.
 */
export async function approve(
  deps: ApproveDeps,
  a: {
    env: string;
    digest: string;
    approver: string;
    via: 'slack' | 'github-oidc';
    evidence?: Record<string, string>;
  },
): Promise<ApproveResult> {
  const refuse = (message: string): ApproveResult => ({ ok: false, code: Codes.approveRefused, message });
  const policy = deps.policy(a.env);
  if (!policy) return refuse(`the spec has no environment "${a.env}"`);
  const resolved = await resolveDigest(deps.store, a.env, a.digest);
  if (!resolved.ok) return refuse(resolved.message);
  const digest = resolved.digest;
  const plan = await deps.store.getPlanByDigest(a.env, digest);
  if (!plan)
    return refuse(
      `no plan of ${a.env} has digest ${digest.slice(0, 12)}; run \`envc plan --env ${a.env}\` first`,
    );
  if (plan.appliedAt) return refuse(`plan ${digest.slice(0, 12)} of ${a.env} was already applied`);
  const request = await deps.store.getApprovalRequest(a.env, digest);
  const short = digest.slice(0, 12);
  if (request?.status === 'denied')
    return refuse(`plan ${short} of ${a.env} was denied by ${request.deniedBy}; run a new plan`);
  if (request?.status === 'superseded')
    return refuse(`plan ${short} of ${a.env} was superseded by a newer plan; approve that one instead`);
  if (request?.status === 'expired')
    return refuse(
      `the approval request for plan ${short} of ${a.env} expired; \`envc apply --env ${a.env}\` asks again`,
    );
  const requester = request?.requester ?? plan.createdBy;
  if (requester === a.approver)
    return refuse(`${a.approver} requested this change and cannot approve it; ask another approver`);
  if (!(await deps.isApprover(a.env, a.approver))) {
    return refuse(
      `${a.approver} is not an approver of ${a.env} (approvers: ${policy.approvals.approvers.join(', ') || 'none configured'})`,
    );
  }
  const approval = await deps.store.addApproval({
    env: a.env,
    digest,
    approver: a.approver,
    requester,
    via: a.via,
    expiresAt: new Date(deps.now().getTime() + policy.approvals.expiresAfterSeconds * 1000),
  });
  await deps.store.audit({
    actor: a.approver,
    env: a.env,
    action: 'approval.add',
    details: {
      digest,
      requester,
      via: a.via,
      expiresAt: approval.expiresAt.toISOString(),
      ...(a.evidence ? { evidence: a.evidence } : {}),
    },
  });
  if (request?.status !== 'pending')
    return request ? { ok: true, approval, request, digest } : { ok: true, approval, digest };
  // Enough distinct approvers now (the gate's own judgement): the request moves on to `approved`.
  const complete = await judgeComplete(deps, a.env, digest, requester, policy.approvals.minApprovals);
  const updated = complete ? await deps.store.markRequestApproved(a.env, digest) : undefined;
  return { ok: true, approval, request: updated ?? request, digest };
}

async function judgeComplete(
  deps: ApproveDeps,
  env: string,
  digest: string,
  requester: string,
  minApprovals: number,
): Promise<boolean> {
  const approvals = await deps.store.listApprovals(env, digest);
  const allowed = new Set<string>();
  for (const who of new Set(approvals.map((x) => x.approver)))
    if (await deps.isApprover(env, who)) allowed.add(who);
  return judgeApprovals({
    env,
    digest,
    requester,
    minApprovals,
    approvals,
    allowed,
    approversText: '',
    now: deps.now(),
  }).ok;
}

export async function deny(
  deps: ApproveDeps,
  d: { env: string; digest: string; actor: string; reason?: string },
): Promise<{ ok: true; request: ApprovalRequest } | { ok: false; code: string; message: string }> {
  const resolved = await resolveDigest(deps.store, d.env, d.digest);
  if (!resolved.ok) return { ok: false, code: Codes.approveRefused, message: resolved.message };
  const request = await deps.store.getApprovalRequest(d.env, resolved.digest);
  if (!request)
    return {
      ok: false,
      code: Codes.approveRefused,
      message: `no approval was requested for plan ${resolved.digest.slice(0, 12)} of ${d.env}`,
    };
  if (request.requester !== d.actor && !(await deps.isApprover(d.env, d.actor))) {
    return {
      ok: false,
      code: Codes.approveRefused,
      message: `${d.actor} is neither the requester nor an approver of ${d.env}`,
    };
  }
  const denied = await deps.store.denyApproval({
    env: d.env,
    digest: resolved.digest,
    actor: d.actor,
    ...(d.reason ? { reason: d.reason } : {}),
  });
  if (!denied)
    return {
      ok: false,
      code: Codes.approveRefused,
      message: `plan ${resolved.digest.slice(0, 12)} of ${d.env} can no longer be denied: its approval request is ${request.status}`,
    };
  await deps.store.audit({
    actor: d.actor,
    env: d.env,
    action: 'approval.deny',
    details: { digest: resolved.digest, reason: d.reason ?? null },
  });
  return { ok: true, request: denied };
}
