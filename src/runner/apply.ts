/**
 * apply one environment: exactly the saved plan, under the environment lock, after re-computing its digest
 * and (when the spec asks for it) consuming approvals for that digest. Refusals say what to run next.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Approval, PlanRecord } from '../store/types.js';
import { awaiting, decide } from './apply-gate.js';
import { Codes, failedOutcome, type Outcome, type RunnerDeps, refused } from './context.js';
import type { PlanKind, PlanSummaryCounts } from './events.js';
import { describePlan, staleness } from './freshness.js';
import { describeLock, withEnvLock } from './locks.js';
import { applyPhases, savedPlanDigest } from './phases.js';
import { storedSummary } from './plan.js';
import type { EnvPolicy } from './policy.js';
import { pruneWorkDir } from './retention.js';
import { apply as tfApply } from './steps/apply.js';

export interface ApplyOptions {
  /** Apply this plan (default: the environment's latest plan). */
  digest?: string;
  /** Require an approval even where the spec does not (destroy of production). */
  forceApproval?: boolean;
}

export interface AppliedEnv {
  env: string;
  digest: string;
  kind: PlanKind;
  counts: PlanSummaryCounts;
  /** Approvers whose approvals this apply used. */
  approvedBy: string[];
  noChanges: boolean;
  durationMs: number;
}

type Attempt = Outcome<AppliedEnv>;

export async function applyEnv(
  deps: RunnerDeps,
  env: string,
  o: ApplyOptions = {},
): Promise<Outcome<AppliedEnv>> {
  const policy = deps.policy(env);
  if (!policy)
    return refused(
      env,
      Codes.unknownEnv,
      `the spec has no environment "${env}"`,
      'add it to environments.yaml, or check the name',
    );
  // Interrupted while other environments were applying: do not start this one.
  if (deps.signal?.aborted) return failedOutcome(env, 'interrupted before it started');
  const deadline = Date.now() + deps.approvalWait.waitMs;
  let announced = false;
  for (;;) {
    const r = await attempt(deps, env, policy, o, !announced);
    if (r.status !== 'awaiting-approval') {
      if (r.status === 'refused')
        await deps.store.audit({
          actor: deps.actor,
          env,
          action: 'apply.refused',
          details: { code: r.code, message: r.message },
        });
      return r;
    }
    announced = true;
    if (Date.now() >= deadline || deps.signal?.aborted) return r;
    deps.progress(env, `waiting for approval of ${r.digest.slice(0, 12)}`);
    await sleep(Math.min(deps.approvalWait.pollMs, Math.max(10, deadline - Date.now())));
  }
}

async function attempt(
  deps: RunnerDeps,
  env: string,
  policy: EnvPolicy,
  o: ApplyOptions,
  announce: boolean,
): Promise<Attempt> {
  const record = o.digest
    ? await deps.store.getPlanByDigest(env, o.digest)
    : await deps.store.latestPlan(env);
  const rerun = `envc plan --env ${env}`;
  if (!record)
    return refused(
      env,
      Codes.noPlan,
      o.digest ? `no plan of ${env} has digest ${o.digest}` : `${env} has no saved plan`,
      rerun,
    );
  if (record.appliedAt) {
    return refused(
      env,
      Codes.planApplied,
      `plan ${record.digest.slice(0, 12)} of ${env} was already applied at ${record.appliedAt.toISOString()} by ${record.appliedBy}`,
      rerun,
    );
  }
  const latest = await deps.store.latestPlan(env);
  if (latest && latest.id !== record.id) {
    return refused(
      env,
      Codes.planStale,
      `plan ${record.digest.slice(0, 12)} is not the latest plan of ${env} (${latest.digest.slice(0, 12)} is)`,
      `envc apply --env ${env}`,
    );
  }
  const stale = await staleness(deps, env, record);
  if (stale) return refused(env, stale.code, stale.message, stale.next);
  const summary = storedSummary(record);
  if (!existsSync(record.planPath))
    return refused(env, Codes.planFileMissing, `the saved plan ${record.planPath} is gone`, rerun);
  if (!summary.hasChanges) {
    await deps.store.markPlanApplied(record.id, { actor: deps.actor, at: deps.now() });
    deps.progress(env, 'no changes');
    return appliedOutcome(env, record.digest, summary, [], 0);
  }
  const gated = policy.approvals.required || o.forceApproval === true;
  if (gated) {
    // A denial is final for its digest: re-running apply never re-opens it (a changed plan is a new digest).
    const request = await deps.store.getApprovalRequest(env, record.digest);
    if (request?.status === 'denied')
      return refused(
        env,
        Codes.planDenied,
        `plan ${record.digest.slice(0, 12)} of ${env} was denied by ${request.deniedBy ?? 'an approver'}${request.reason ? ` (${request.reason})` : ''}; a denial is final for its digest`,
        `change what was denied, then envc plan --env ${env} (a new plan has a new digest and asks again)`,
      );
    const d = await decide(deps, env, policy, record.digest);
    if (!d.ok) return awaiting(deps, env, policy, record, d, announce);
  }

  deps.progress(env, 'waiting for lock');
  const locked = await withEnvLock(
    deps.store,
    env,
    deps.actor,
    {
      ...deps.lock,
      ...(deps.signal ? { signal: deps.signal } : {}),
      onWait: (l) => deps.progress(env, `waiting for the lock ${describeLock(l)}`),
    },
    () => underLock(deps, env, policy, record.id, gated, announce),
  );
  if (!locked.ok) {
    return refused(
      env,
      Codes.lockHeld,
      `${env} is locked: ${describeLock(locked.lock)}`,
      `retry with --lock-wait 10m, or if that holder is gone: envc lock release --env ${env} --force`,
    );
  }
  return locked.value;
}

async function underLock(
  deps: RunnerDeps,
  env: string,
  policy: EnvPolicy,
  planId: string,
  gated: boolean,
  announce: boolean,
): Promise<Attempt> {
  // Re-read: while we waited for the lock, another apply may have applied or replaced this plan.
  const record = await deps.store.latestPlan(env);
  if (!record || record.id !== planId)
    return refused(
      env,
      Codes.planStale,
      `a newer plan of ${env} was recorded while waiting for the lock`,
      `envc apply --env ${env}`,
    );
  if (record.appliedAt) {
    return refused(
      env,
      Codes.planApplied,
      `plan ${record.digest.slice(0, 12)} of ${env} was applied at ${record.appliedAt.toISOString()} by ${record.appliedBy} while we waited`,
      `envc plan --env ${env}`,
    );
  }
  const summary = storedSummary(record);
  deps.progress(env, 'verifying digest');
  const recomputed = await savedPlanDigest(deps, env, summary, record.planPath);
  if (!recomputed.ok) return failedOutcome(env, recomputed.message);
  const digest = recomputed.value;
  if (digest !== record.digest) {
    return refused(
      env,
      Codes.digestMismatch,
      `the saved plan or the generated Kubernetes/Helm files of ${env} changed since planning: digest is now ${digest.slice(0, 12)}, the plan recorded ${record.digest.slice(0, 12)}`,
      `envc plan --env ${env}, then approve the new digest`,
    );
  }
  let used: Approval[] = [];
  if (gated) {
    const d = await decide(deps, env, policy, record.digest);
    if (!d.ok) return awaiting(deps, env, policy, record, d, announce);
    // Consuming the approvals moves the request to `applying`; the outcome is recorded after terraform.
    used = await deps.store.consumeApprovals({
      env,
      digest: record.digest,
      approvalIds: d.approvalIds,
      minApprovals: d.approvalIds.length,
      actor: deps.actor,
      now: deps.now(),
    });
    if (used.length === 0) {
      // Claimed by a concurrent apply between our check and our claim.
      return awaiting(
        deps,
        env,
        policy,
        record,
        { ok: false, valid: [], needed: policy.approvals.minApprovals, rejections: [] },
        announce,
      );
    }
  }
  const recordOutcome = (error?: string) =>
    gated
      ? deps.store.recordApplyOutcome({
          env,
          digest: record.digest,
          outcome: error === undefined ? 'applied' : 'failed',
          ...(error === undefined ? {} : { error: error.slice(0, 4000) }),
          at: deps.now(),
        })
      : undefined;
  let r: Attempt;
  try {
    r = await runApply(deps, env, record, used);
  } catch (err) {
    await recordOutcome(`the apply stopped: ${(err as Error).message}`);
    throw err;
  }
  // The status first, then the events: a notifier that re-reads the request sees the outcome.
  await recordOutcome(r.status === 'ok' ? undefined : r.message);
  if (r.status !== 'ok') {
    await deps.notifier.notify({
      type: 'failed',
      env,
      actor: deps.actor,
      at: deps.now(),
      stage: summary.kind === 'destroy' ? 'destroy' : 'apply',
      message: r.message,
      digest: record.digest,
    });
    return r;
  }
  await deps.notifier.notify({
    type: 'applied',
    env,
    actor: deps.actor,
    at: deps.now(),
    digest: record.digest,
    counts: summary.counts,
    kind: summary.kind,
    durationMs: r.value.durationMs,
  });
  deps.progress(env, 'applied');
  await pruneAfterApply(deps, env);
  return r;
}

/** Terraform apply of the verified plan (audited as `apply.start`); the plan is marked applied on success. */
async function runApply(
  deps: RunnerDeps,
  env: string,
  record: PlanRecord,
  used: Approval[],
): Promise<Attempt> {
  const summary = storedSummary(record);
  const approvedBy = used.map((a) => a.approver);
  if (used.length > 0)
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: 'approval.consumed',
      details: { digest: record.digest, approvers: approvedBy, ids: used.map((a) => a.id) },
    });
  deps.progress(env, `applying ${describePlan(record, deps.now())}`);
  await deps.store.audit({
    actor: deps.actor,
    env,
    action: 'apply.start',
    details: { digest: record.digest, kind: summary.kind, approvedBy },
  });
  const onLine = deps.output ? (line: string) => deps.output!(env, line) : undefined;
  const r = summary.phases
    ? await applyPhases(deps, env, summary.workdir, summary.phases, record.planPath)
    : await tfApply(deps.terraform, summary.workdir, record.planPath, { signal: deps.signal, onLine });
  if (!r.ok) return failedOutcome(env, r.message);
  await deps.store.markPlanApplied(record.id, { actor: deps.actor, at: deps.now() });
  return appliedOutcome(env, record.digest, summary, approvedBy, r.durationMs);
}

/** The outcome of an apply that ran (or had nothing to do: no changes, no approvers, no time spent). */
function appliedOutcome(
  env: string,
  digest: string,
  summary: { kind: PlanKind; counts: PlanSummaryCounts; hasChanges: boolean },
  approvedBy: string[],
  durationMs: number,
): Attempt {
  return {
    env,
    status: 'ok',
    value: {
      env,
      digest,
      kind: summary.kind,
      counts: summary.counts,
      approvedBy,
      noChanges: !summary.hasChanges,
      durationMs,
    },
  };
}

/** Retention of saved plans and rollback trees; a failure to prune never fails the apply. */
async function pruneAfterApply(deps: RunnerDeps, env: string): Promise<void> {
  try {
    const removed = await pruneWorkDir(deps, env);
    if (removed.length > 0)
      deps.progress(env, `removed ${removed.length} old plan file(s) and rollback tree(s)`);
  } catch (err) {
    deps.progress(env, `could not remove old plans: ${(err as Error).message}`);
  }
}
