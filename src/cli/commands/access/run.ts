/**
 * `envc access …` for operators: the same decisions as `/infra access`, from a terminal. Identity comes from
 * ENVC_ACTOR (or --email) mapped to a Slack user when SLACK_BOT_TOKEN is set, so self-approval is caught
 * across Slack and the CLI; without Slack nobody can be shown to be an approver (approvals fail closed).
 */

import { formatAccessDuration } from '../../../access/duration.js';
import type { AccessEvent, AccessEventSink } from '../../../access/events.js';
import { slackEmail } from '../../../access/identity.js';
import {
  type AccessDeps,
  type AccessOutcome,
  approveAccess,
  denyAccess,
  listAccess,
  requestAccess,
  reviewAccess,
  revokeAccess,
} from '../../../access/service.js';
import { sweepAccess } from '../../../access/sweeper.js';
import { accessSlackEvents } from '../../../bot/notify/access.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import type { Operator } from '../../operator.js';

export function accessDeps(op: Operator, ctx: CommandContext): AccessDeps {
  const slack = op.slack
    ? accessSlackEvents({ slack: op.slack, store: op.store, channel: op.channel, now: () => new Date() })
    : undefined;
  const events: AccessEventSink = async (e: AccessEvent) => {
    ctx.progress(describe(e));
    if (slack) {
      try {
        await slack(e);
      } catch (err) {
        ctx.progress(`warning: the Slack thread could not be updated: ${(err as Error).message}`);
      }
    }
  };
  return {
    store: op.store,
    model: op.model,
    now: () => new Date(),
    kube: op.integrations.kube,
    audit: op.audit,
    approvers: op.approvers,
    emailOf: async (user) =>
      user === op.actor && op.email ? op.email : op.slack ? slackEmail(op.slack, user) : undefined,
    events,
    warn: (m) => ctx.progress(`warning: ${m}`),
  };
}

function describe(e: AccessEvent): string {
  switch (e.type) {
    case 'drift':
      return `drift in ${e.env}: ${e.binding} — ${e.why}${e.removed ? ' (removed)' : ''}`;
    case 'requested':
      return `request ${e.request.id}: waiting for ${e.request.minApprovals} approval(s) by ${e.approvers.join(', ')}`;
    case 'granted':
      return `request ${e.request.id}: granted until ${e.request.expiresAt?.toISOString()}${e.breakGlass ? ' (BREAK-GLASS: review required)' : ''}\n  ${e.kubectl.commands.join('\n  ')}`;
    default:
      return `request ${e.request.id}: ${e.type}`;
  }
}

const USAGE = `usage:
  envc access request <env> <policy|role> <duration> <reason…> [--email EMAIL]
  envc access list [--env E] [--all] [--json]
  envc access approve <id>            (a verified CI identity only; else approve in Slack)
  envc access deny <id> [--reason TEXT]
  envc access revoke <id> [--reason TEXT]
  envc access review <id> --notes TEXT
  envc access sweep`;

function result<T>(o: AccessOutcome<T>, json: boolean, data: (v: T) => unknown): CommandResult {
  if (o.kind === 'success')
    return {
      exitCode: ExitCode.Ok,
      stdout: json ? `${JSON.stringify(data(o.value), null, 2)}\n` : `${o.message}\n`,
    };
  return {
    exitCode: o.kind === 'failure' ? ExitCode.Findings : ExitCode.Internal,
    stderr: `envc access: ${o.message}\n`,
  };
}

export async function runAccess(
  ctx: CommandContext,
  op: Operator,
  f: { env?: string; all?: boolean; json?: boolean; reason?: string; notes?: string },
): Promise<CommandResult> {
  const [sub, ...args] = ctx.args;
  const deps = accessDeps(op, ctx);
  const json = f.json === true;
  const id = args[0];
  switch (sub) {
    case 'request': {
      const [env, target, duration, ...why] = args;
      if (!env || !target || !duration || why.length === 0)
        return {
          exitCode: ExitCode.Usage,
          stderr: `envc access request: environment, policy, duration and reason are required\n${USAGE}\n`,
        };
      // Without an email envc cannot name the Kubernetes user; say so in the CLI's terms, not Slack's.
      if (!op.email && !op.slack)
        return {
          exitCode: ExitCode.Findings,
          stderr:
            'envc access request: envc does not know your email, so it cannot tell who you are in Kubernetes\n' +
            `next: set ENVC_ACTOR=you@your-company.example (or pass --email EMAIL) and run \`envc access request ${env} ${target} ${duration} …\` again\n`,
        };
      const r = await requestAccess(deps, {
        requester: op.actor,
        env,
        target,
        duration,
        reason: why.join(' '),
      });
      if (r.kind === 'success' && r.value.status === 'pending') {
        return {
          exitCode: ExitCode.AwaitingApproval,
          stdout: json ? `${JSON.stringify(r.value, null, 2)}\n` : `${r.message} (request ${r.value.id})\n`,
        };
      }
      return result(r, json, (v) => v);
    }
    case 'list': {
      const items = await listAccess(deps, { ...(f.env ? { env: f.env } : {}), all: f.all === true });
      if (json) return { exitCode: ExitCode.Ok, stdout: `${JSON.stringify(items, null, 2)}\n` };
      const lines = items.map(
        (i) =>
          `${i.request.id}  ${i.request.env}/${i.request.policy}  ${i.request.requester}  ${formatAccessDuration(i.request.durationSeconds)}  ${i.state}  "${i.request.reason}"`,
      );
      return {
        exitCode: ExitCode.Ok,
        stdout: lines.length ? `${lines.join('\n')}\n` : 'no pending or active access\n',
      };
    }
    case 'approve': {
      if (!id) return { exitCode: ExitCode.Usage, stderr: `${USAGE}\n` };
      // Approving access (break-glass above all) needs a proven identity, like approving a plan: ENVC_ACTOR or
      // --email is a name anyone can type. In CI a verified GitHub Actions OIDC identity counts; else Slack.
      const { resolveCliIdentity } = await import('../runner/cli-identity.js');
      const who = await resolveCliIdentity({}, ctx.env, ctx.cwd);
      if (!who.ok || !who.verified) {
        await op.audit({
          actor: op.actor,
          action: 'access.approve.refuse',
          details: {
            requestId: id,
            code: 'ENVC4018',
            claimed: op.actor,
            ...(who.ok ? {} : { why: who.message }),
          },
        });
        return {
          exitCode: ExitCode.Findings,
          stderr: `envc access: refused: ${op.actor} is a name, not a verified identity; an access approval counts only from a signed Slack request or a verified CI identity [ENVC4018]\nnext: press Approve on the request in Slack (or /infra access approve ${id})\n`,
        };
      }
      return result(await approveAccess(deps, { requestId: id, approver: who.actor }), json, (v) => v);
    }
    case 'deny':
      if (!id) return { exitCode: ExitCode.Usage, stderr: `${USAGE}\n` };
      return result(
        await denyAccess(deps, { requestId: id, actor: op.actor, ...(f.reason ? { reason: f.reason } : {}) }),
        json,
        (v) => v,
      );
    case 'revoke':
      if (!id) return { exitCode: ExitCode.Usage, stderr: `${USAGE}\n` };
      return result(
        await revokeAccess(deps, {
          requestId: id,
          actor: op.actor,
          reason: f.reason ?? 'revoked from the CLI',
        }),
        json,
        (v) => v,
      );
    case 'review':
      if (!id || !f.notes)
        return {
          exitCode: ExitCode.Usage,
          stderr: `envc access review: a request id and --notes are required\n${USAGE}\n`,
        };
      return result(
        await reviewAccess(deps, { requestId: id, reviewer: op.actor, notes: f.notes }),
        json,
        (v) => v,
      );
    case 'sweep': {
      const report = await sweepAccess(deps, op.actor);
      const code =
        report.failed.length || report.unreachable.length
          ? ExitCode.Internal
          : report.drift.length
            ? ExitCode.Changes
            : ExitCode.Ok;
      const text = [
        `revoked ${report.revoked.length} expired grant(s)`,
        ...report.failed.map((x) => `could not revoke ${x.id}: ${x.error}`),
        ...report.drift.map(
          (d) => `drift in ${d.env}: ${d.binding} — ${d.why}${d.removed ? ' (removed)' : ''}`,
        ),
        ...report.unreachable.map((u) => `${u.env}: not checked: ${u.error}`),
      ].join('\n');
      return { exitCode: code, stdout: json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n` };
    }
    default:
      return {
        exitCode: ExitCode.Usage,
        stderr: `envc access: ${sub ? `unknown sub-command "${sub}"` : 'a sub-command is required'}\n${USAGE}\n`,
      };
  }
}
