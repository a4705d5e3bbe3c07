/**
 * On-demand rotation of a secret in an environment whose changes need approval (production, or any
 * environment with `approvals.required`) waits for the environment's approvers: the request is a rotation
 * record in state `running` with `awaitingApproval`, approvals are its `approval` steps (distinct approvers,
 * never the requester), and once `minApprovals` is reached the same record runs. Scheduled rotations need no
 * approval: their schedule is part of the reviewed spec.
 */
import { type EnvironmentModel, environment } from '../compiler/model.js';
import type { RotationRecord } from '../store/types.js';
import {
  findTarget,
  type RotateInput,
  type RotationDeps,
  type RotationOutcome,
  rotateSecret,
} from './rotate.js';

export interface ApprovalDeps extends RotationDeps {
  approvers: { isApprover(user: string, refs: readonly string[]): Promise<boolean> };
}

export type RequestOutcome = RotationOutcome | { kind: 'pending'; rotation: RotationRecord; message: string };

/** Approval outcomes: `ready` means enough approvals; the caller runs `rotateSecret(deps, input)` (it may be long). */
export type ApproveOutcome =
  | { kind: 'ready'; input: RotateInput; message: string }
  | { kind: 'pending'; rotation: RotationRecord; message: string }
  | { kind: 'failure'; message: string };

export function needsApproval(env: EnvironmentModel): boolean {
  return env.tier === 'production' || env.approvals.required;
}

export function rotationApprovers(deps: { model: RotationDeps['model'] }, env: EnvironmentModel): string[] {
  return env.approvals.approvers.length > 0 ? env.approvals.approvers : deps.model.slack.approvers;
}

interface AwaitingDetails {
  awaitingApproval: true;
  requester: string;
  reason?: string;
  minApprovals: number;
  expiresAt: string;
}

export function isAwaiting(r: RotationRecord): boolean {
  return (
    r.status === 'running' &&
    r.details.awaitingApproval === true &&
    !r.steps.some((s) => s.step !== 'approval')
  );
}

export function approvalsOf(r: RotationRecord): string[] {
  return [
    ...new Set(
      r.steps
        .filter((s) => s.step === 'approval' && s.status === 'ok')
        .map((s) => String(s.details.approver)),
    ),
  ];
}

export async function findRotation(
  deps: Pick<RotationDeps, 'store'>,
  id: string,
): Promise<RotationRecord | undefined> {
  return (await deps.store.listRotations({ limit: 1000 })).find((r) => r.id === id);
}

/** `envc rotate` / `/infra rotate` on demand: runs now, or records a request that waits for approval. */
export async function requestRotation(
  deps: ApprovalDeps,
  input: { env: string; secret: string; requester: string; reason?: string },
): Promise<RequestOutcome> {
  const t = findTarget(deps.model, input.env, input.secret);
  if (typeof t === 'string') return { kind: 'failure', message: t };
  if (!needsApproval(t.env))
    return rotateSecret(deps, {
      env: input.env,
      secret: input.secret,
      actor: input.requester,
      trigger: 'on-demand',
    });
  const now = deps.now();
  // One open request per secret: asking again (say, once Slack is configured, or another requester) re-sends
  // the request that waits instead of leaving a second one to approve.
  const open = await openRequest(deps, input, now);
  if (open) return announce(deps, open, t.env, input);
  const expiresAt = new Date(now.getTime() + t.env.approvals.expiresAfterSeconds * 1000);
  const details: AwaitingDetails = {
    awaitingApproval: true,
    requester: input.requester,
    ...(input.reason ? { reason: input.reason } : {}),
    minApprovals: t.env.approvals.minApprovals,
    expiresAt: expiresAt.toISOString(),
  };
  const rotation = await deps.store.recordRotationStart({
    env: input.env,
    secret: input.secret,
    actor: input.requester,
    details: { source: t.secret.source, trigger: 'on-demand', scope: t.instance.scope, ...details },
    now,
  });
  await deps.audit({
    actor: input.requester,
    env: input.env,
    action: 'rotation.request',
    details: { rotationId: rotation.id, secret: input.secret, reason: input.reason },
  });
  return announce(deps, rotation, t.env, input);
}

/** The request for this secret that still waits for approval and has not expired. */
async function openRequest(
  deps: ApprovalDeps,
  input: { env: string; secret: string },
  now: Date,
): Promise<RotationRecord | undefined> {
  const rows = await deps.store.listRotations({ env: input.env, secret: input.secret, limit: 20 });
  return rows.find(
    (r) => isAwaiting(r) && now < new Date((r.details as unknown as AwaitingDetails).expiresAt),
  );
}

/** Tells the approvers (the event sink posts to Slack where one is configured) and says who must approve. */
async function announce(
  deps: ApprovalDeps,
  rotation: RotationRecord,
  env: EnvironmentModel,
  input: { env: string; secret: string; requester: string; reason?: string },
): Promise<RequestOutcome> {
  const details = rotation.details as unknown as AwaitingDetails;
  const expiresAt = new Date(details.expiresAt);
  const approvers = rotationApprovers(deps, env);
  const reason = details.reason ?? input.reason;
  if (deps.events) {
    try {
      await deps.events({
        type: 'approval-requested',
        rotationId: rotation.id,
        env: input.env,
        secret: input.secret,
        requester: details.requester,
        approvers,
        minApprovals: details.minApprovals,
        expiresAt,
        ...(reason ? { reason } : {}),
      });
    } catch (err) {
      deps.warn?.('rotation event could not be delivered', { event: 'approval-requested', error: err });
    }
  }
  return {
    kind: 'pending',
    rotation,
    message: `rotation of ${input.secret} in ${input.env} waits for ${details.minApprovals} approval(s) by ${approvers.join(', ')} (request ${rotation.id})`,
  };
}

export async function approveRotation(
  deps: ApprovalDeps,
  a: { rotationId: string; approver: string },
): Promise<ApproveOutcome> {
  const r = await findRotation(deps, a.rotationId);
  if (!r) return { kind: 'failure', message: `no rotation request "${a.rotationId}"` };
  const env = environment(deps.model, r.env);
  const refuse = async (why: string): Promise<ApproveOutcome> => {
    await deps.audit({
      actor: a.approver,
      env: r.env,
      action: 'rotation.approve.refuse',
      details: { rotationId: r.id, secret: r.secret, why },
    });
    return { kind: 'failure', message: why };
  };
  if (!env) return refuse(`environment "${r.env}" is no longer in the spec`);
  if (!isAwaiting(r)) return refuse(`rotation ${r.id} is not waiting for approval (${r.status})`);
  const d = r.details as unknown as AwaitingDetails;
  if (a.approver === d.requester) return refuse('you cannot approve your own rotation request');
  const refs = rotationApprovers(deps, env);
  if (!(await deps.approvers.isApprover(a.approver, refs)))
    return refuse(`only approvers of ${r.env} (${refs.join(', ')}) may approve`);
  if (deps.now() >= new Date(d.expiresAt)) return refuse('the request expired; ask again');
  const before = approvalsOf(r);
  if (before.includes(a.approver)) return { kind: 'failure', message: 'you already approved this rotation' };
  await deps.store.recordRotationStep(r.id, {
    step: 'approval',
    status: 'ok',
    details: { approver: a.approver },
    at: deps.now(),
  });
  await deps.audit({
    actor: a.approver,
    env: r.env,
    action: 'rotation.approve',
    details: { rotationId: r.id, secret: r.secret },
  });
  const approvals = before.length + 1;
  if (approvals < d.minApprovals) {
    if (deps.events) {
      await deps
        .events({
          type: 'approval-added',
          rotationId: r.id,
          env: r.env,
          secret: r.secret,
          approver: a.approver,
          approvals,
          minApprovals: d.minApprovals,
        })
        .catch((err) => deps.warn?.('rotation event could not be delivered', { error: err }));
    }
    return { kind: 'pending', rotation: r, message: `approved (${approvals} of ${d.minApprovals})` };
  }
  const input: RotateInput = {
    env: r.env,
    secret: r.secret,
    actor: d.requester,
    trigger: 'on-demand',
    rotationId: r.id,
  };
  return { kind: 'ready', input, message: `approved by ${a.approver}; rotating ${r.secret} in ${r.env}` };
}

export async function denyRotation(
  deps: ApprovalDeps,
  a: { rotationId: string; actor: string; reason?: string },
): Promise<RequestOutcome> {
  const r = await findRotation(deps, a.rotationId);
  if (!r || !isAwaiting(r))
    return { kind: 'failure', message: `no rotation request "${a.rotationId}" is waiting for approval` };
  const env = environment(deps.model, r.env);
  const d = r.details as unknown as AwaitingDetails;
  if (
    a.actor !== d.requester &&
    !(env && (await deps.approvers.isApprover(a.actor, rotationApprovers(deps, env))))
  ) {
    return {
      kind: 'failure',
      message: `only approvers of ${r.env} (or the requester, to withdraw it) may deny`,
    };
  }
  const reason = a.reason?.trim() || 'denied';
  const finished = await deps.store.recordRotationFinish(r.id, {
    status: 'failed',
    error: `denied by ${a.actor}: ${reason}`,
    at: deps.now(),
  });
  await deps.audit({
    actor: a.actor,
    env: r.env,
    action: 'rotation.deny',
    details: { rotationId: r.id, secret: r.secret, reason },
  });
  if (deps.events) {
    await deps
      .events({ type: 'denied', rotationId: r.id, env: r.env, secret: r.secret, actor: a.actor, reason })
      .catch(() => undefined);
  }
  return {
    kind: 'failure',
    message: `rotation request ${r.id} denied`,
    ...(finished ? { rotation: finished } : {}),
  };
}

/**
 * Housekeeping for the rotation job: requests nobody approved in time, and rotations whose process died
 * mid-way (still `running` long after any rollout could take), are closed as failed with the reason.
 */
export async function closeStaleRotations(
  deps: RotationDeps,
  staleAfterMs = 2 * 3600_000,
): Promise<string[]> {
  const now = deps.now();
  const closed: string[] = [];
  for (const r of await deps.store.listRotations({ limit: 1000 })) {
    if (r.status !== 'running') continue;
    let why: string | undefined;
    if (isAwaiting(r)) {
      if (now >= new Date(String(r.details.expiresAt))) why = 'approval expired';
    } else if (now.getTime() - r.startedAt.getTime() > staleAfterMs) {
      why = 'interrupted: the process stopped during the rotation; check the SealedSecret and run it again';
    }
    if (!why) continue;
    await deps.store.recordRotationFinish(r.id, { status: 'failed', error: why, at: now });
    await deps.audit({
      actor: 'envc-bot',
      env: r.env,
      action: 'rotation.expire',
      details: { rotationId: r.id, secret: r.secret, why },
    });
    closed.push(r.id);
  }
  return closed;
}
