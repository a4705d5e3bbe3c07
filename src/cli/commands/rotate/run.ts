/**
 * `envc rotate`: the operator's way to rotate now (`--env E --secret S`, gated by approval where the
 * environment requires it), to run every due rotation (`--due`, what the bot's job does), or to see when
 * each secret is due (`--status`). Progress goes to stderr; with SLACK_BOT_TOKEN the same thread the bot
 * posts is posted too.
 */

import { rotationSlackEvents } from '../../../bot/notify/rotation.js';
import type { Model } from '../../../compiler/model.js';
import type { RotationEvent, RotationEventSink } from '../../../rotation/events.js';
import { isAwaiting, type RequestOutcome, requestRotation } from '../../../rotation/requests.js';
import { type RotationDeps, rotateSecret } from '../../../rotation/rotate.js';
import { freshness, secretTargets } from '../../../rotation/schedule.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import type { Operator } from '../../operator.js';

export function rotationDeps(
  op: Operator,
  ctx: CommandContext,
  events: RotationEventSink,
): RotationDeps & { approvers: Operator['approvers'] } {
  return {
    store: op.store,
    model: op.model,
    now: () => new Date(),
    kube: op.integrations.kube,
    linode: op.integrations.linode,
    audit: op.audit,
    events,
    warn: (m) => ctx.progress(`warning: ${m}`),
    sealedSecrets: op.integrations.sealedSecrets,
    approvers: op.approvers,
  };
}

/** Terminal lines for every event, plus the Slack thread when a bot token is configured. */
export function cliRotationEvents(
  ctx: CommandContext,
  op: Operator,
  delivered: { approvalRequestPosted: boolean } = { approvalRequestPosted: false },
): RotationEventSink {
  const slack = op.slack
    ? rotationSlackEvents({
        slack: op.slack,
        store: op.store,
        channel: op.channel,
        now: () => new Date(),
        model: op.model,
      })
    : undefined;
  return async (e: RotationEvent) => {
    ctx.progress(`${e.env}/${e.secret}: ${describe(e)}`);
    if (slack) {
      try {
        await slack(e);
        if (e.type === 'approval-requested') delivered.approvalRequestPosted = true;
      } catch (err) {
        ctx.progress(`warning: the Slack thread could not be updated: ${(err as Error).message}`);
      }
    }
  };
}

function describe(e: RotationEvent): string {
  switch (e.type) {
    case 'approval-requested':
      return `waiting for ${e.minApprovals} approval(s) by ${e.approvers.join(', ')} (request ${e.rotationId})`;
    case 'approval-added':
      return `approved by ${e.approver} (${e.approvals}/${e.minApprovals})`;
    case 'started':
      return `rotation ${e.rotationId} started (${e.trigger}, ${e.source})`;
    case 'step':
      return `${e.step}: ${e.message}`;
    case 'succeeded':
      return `rotated; next due ${e.nextDue.toISOString()}`;
    case 'failed':
      return `FAILED at ${e.step}: ${e.error}${e.rollback.length ? ` — rollback: ${e.rollback.join('; ')}` : ''} — old credential ${e.oldCredentialValid ? 'still works' : 'no longer works'}`;
    case 'revoked':
      return `old credential revoked (${e.keys})`;
    case 'denied':
      return `denied by ${e.actor}: ${e.reason}`;
  }
}

/** One secret's freshness, and the request waiting for approval, if any. */
type StatusRow = ReturnType<typeof freshness> & { awaitingApproval?: string };

export function statusReport(model: Model, rows: StatusRow[], json: boolean): string {
  if (json) return `${JSON.stringify({ secrets: rows }, null, 2)}\n`;
  const lines = rows.map(
    (r) =>
      `${`${r.env}/${r.secret}`.padEnd(34)} ${r.rotatedAt ? `rotated ${r.rotatedAt.toISOString()}` : 'never rotated by envc'.padEnd(32)}  ${r.due ? 'DUE' : `due ${r.nextDue.toISOString()}`}${r.awaitingApproval ? `  request ${r.awaitingApproval} awaits approval` : ''}`,
  );
  return `${lines.join('\n')}\n${model.secrets.length === 0 ? 'no secrets in the spec\n' : ''}`;
}

export async function runRotate(
  ctx: CommandContext,
  op: Operator,
  f: { env?: string; secret?: string; due?: boolean; status?: boolean; reason?: string; json?: boolean },
): Promise<CommandResult> {
  const delivered = { approvalRequestPosted: false };
  const deps = rotationDeps(op, ctx, cliRotationEvents(ctx, op, delivered));
  const targets = secretTargets(op.model, {
    ...(f.env ? { env: f.env } : {}),
    ...(f.secret ? { secret: f.secret } : {}),
  });
  if ((f.env || f.secret) && targets.length === 0) {
    return {
      exitCode: ExitCode.Usage,
      stderr: `envc rotate: no secret ${f.secret ?? ''} in ${f.env ?? 'any environment'} (see \`envc rotate --status\`)\n`,
    };
  }
  const now = new Date();
  if (f.status) {
    const rows = [];
    for (const t of targets) {
      const row: StatusRow = freshness(t, await op.store.lastRotation(t.env, t.secret, 'succeeded'), now);
      const open = (await op.store.listRotations({ env: t.env, secret: t.secret, limit: 20 })).find(
        isAwaiting,
      );
      rows.push(open ? { ...row, awaitingApproval: open.id } : row);
    }
    return { exitCode: ExitCode.Ok, stdout: statusReport(op.model, rows, f.json === true) };
  }
  if (f.due) {
    const results: Array<{ env: string; secret: string; outcome: string; message: string }> = [];
    for (const t of targets) {
      const fr = freshness(t, await op.store.lastRotation(t.env, t.secret, 'succeeded'), now);
      if (!fr.due) continue;
      const r = await rotateSecret(deps, {
        env: t.env,
        secret: t.secret,
        actor: op.actor,
        trigger: 'scheduled',
      });
      results.push({ env: t.env, secret: t.secret, outcome: r.kind, message: r.message });
    }
    const code = results.some((r) => r.outcome === 'error')
      ? ExitCode.Internal
      : results.some((r) => r.outcome === 'failure')
        ? ExitCode.Findings
        : ExitCode.Ok;
    const text =
      results.length === 0
        ? 'nothing is due\n'
        : results.map((r) => `${r.env}/${r.secret}: ${r.outcome}: ${r.message}`).join('\n') + '\n';
    return { exitCode: code, stdout: f.json ? `${JSON.stringify({ rotations: results }, null, 2)}\n` : text };
  }
  if (!f.env || !f.secret) {
    return {
      exitCode: ExitCode.Usage,
      stderr: 'envc rotate: name --env and --secret, or use --due or --status\n',
    };
  }
  const r: RequestOutcome = await requestRotation(deps, {
    env: f.env,
    secret: f.secret,
    requester: op.actor,
    ...(f.reason ? { reason: f.reason } : {}),
  });
  const json = (extra: Record<string, unknown>) =>
    `${JSON.stringify({ env: f.env, secret: f.secret, ...extra }, null, 2)}\n`;
  switch (r.kind) {
    case 'success':
      return {
        exitCode: ExitCode.Ok,
        stdout: f.json ? json({ status: 'succeeded', rotationId: r.rotation.id }) : `${r.message}\n`,
      };
    case 'pending':
      return {
        exitCode: ExitCode.AwaitingApproval,
        stdout: f.json ? json({ status: 'awaiting-approval', rotationId: r.rotation.id }) : '',
        // The event sink already printed who must approve; say only how (the CLI cannot approve a rotation).
        stderr: delivered.approvalRequestPosted
          ? `next: an approver uses the button in ${op.channel} (or \`/infra rotate approve ${r.rotation.id}\`); the bot rotates once approved\n`
          : notPosted(op, f.env, f.secret, r.rotation.id),
      };
    case 'failure':
      return { exitCode: ExitCode.Findings, stderr: `envc rotate: ${r.message}\n` };
    case 'error':
      return {
        exitCode: ExitCode.Internal,
        stderr: `envc rotate: ${r.message}\n`,
        ...(f.json ? { stdout: json({ status: 'failed', rotationId: r.rotation?.id }) } : {}),
      };
  }
}

/**
 * Without a bot token nothing reached Slack, and a rotation is approved only there (a verified identity; the
 * CLI cannot approve one): say so, and how to post the request from here. Asking again re-sends the same
 * request (it is not duplicated).
 */
function notPosted(op: Operator, env: string, secret: string, id: string): string {
  const why = op.slack
    ? 'the request could not be posted to Slack (see the warning above)'
    : 'nothing was posted to Slack (SLACK_BOT_TOKEN is not set)';
  return [
    `envc rotate: request ${id} is recorded, but ${why}, so no approver has been asked; a rotation is approved only in Slack, never from the CLI`,
    `next: SLACK_BOT_TOKEN=xoxb-… envc rotate --env ${env} --secret ${secret}   # posts request ${id} to ${op.channel}; \`envc rotate --status --env ${env}\` shows it meanwhile`,
    '',
  ].join('\n');
}
