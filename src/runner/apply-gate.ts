/**
 * The approval side of apply: judging the recorded approvals (gate.ts, pure) and, when they do not suffice,
 * opening the approval request (superseding older ones) and announcing it.
 */
import type { PlanRecord } from '../store/types.js';
import { defaultApproveHint, type Outcome, type RunnerDeps } from './context.js';
import { type GateDecision, gateReasons, judgeApprovals } from './gate.js';
import { storedSummary } from './plan.js';
import type { EnvPolicy } from './policy.js';

export async function decide(
  deps: RunnerDeps,
  env: string,
  policy: EnvPolicy,
  digest: string,
): Promise<GateDecision> {
  const approvals = await deps.store.listApprovals(env);
  const allowed = new Set<string>();
  for (const who of new Set(approvals.map((a) => a.approver)))
    if (await deps.isApprover(env, who)) allowed.add(who);
  return judgeApprovals({
    env,
    digest,
    requester: deps.actor,
    minApprovals: policy.approvals.minApprovals,
    approvals,
    allowed,
    approversText: policy.approvals.approvers.length
      ? policy.approvals.approvers.join(', ')
      : 'none configured',
    now: deps.now(),
  });
}

export async function awaiting(
  deps: RunnerDeps,
  env: string,
  policy: EnvPolicy,
  record: PlanRecord,
  d: Extract<GateDecision, { ok: false }>,
  announce: boolean,
): Promise<Outcome<never>> {
  const approveCommand = (deps.approveHint ?? defaultApproveHint)(env, record.digest);
  const reasons = gateReasons(d);
  if (announce) {
    const expiresAt = new Date(deps.now().getTime() + policy.approvals.expiresAfterSeconds * 1000);
    await deps.store.requestApproval({ env, digest: record.digest, requester: deps.actor, expiresAt });
    const superseded = await deps.store.supersedeApprovalRequests(env, record.digest);
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: 'apply.awaiting-approval',
      details: { digest: record.digest, reasons },
    });
    await deps.notifier.notify({
      type: 'awaiting-approval',
      env,
      actor: deps.actor,
      at: deps.now(),
      digest: record.digest,
      requester: deps.actor,
      counts: storedSummary(record).counts,
      approveCommand,
      expiresAt,
      reasons,
      ...(superseded.length > 0 ? { superseded: superseded.map((q) => q.digest) } : {}),
    });
  }
  return {
    env,
    status: 'awaiting-approval',
    digest: record.digest,
    message: `${env} needs ${d.needed} approval${d.needed === 1 ? '' : 's'} of plan ${record.digest.slice(0, 12)} by ${policy.approvals.approvers.join(', ') || '(no approvers configured)'}, not by ${deps.actor}`,
    approveCommand,
    reasons,
  };
}
