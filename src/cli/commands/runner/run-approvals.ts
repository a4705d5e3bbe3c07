import { approve, deny } from '../../../runner/approvals.js';
import { storedSummary } from '../../../runner/plan.js';
import { countsText } from '../../../runner/summary.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { UsageError } from '../../main.js';
import { envNames, onlyEnv } from './options.js';
import { jsonResult } from './render.js';
import { withRunner } from './wiring.js';

export async function runApprovals(ctx: CommandContext): Promise<CommandResult> {
  const sub = ctx.args[0] ?? 'list';
  if (sub !== 'list' && sub !== 'approve' && sub !== 'deny')
    throw new UsageError(`envc approvals list|approve|deny (not "${sub}")`);
  if (sub !== 'list' && typeof ctx.flags.digest !== 'string')
    throw new UsageError(`name the plan: envc approvals ${sub} --env E --digest D`);
  if (sub !== 'list' && typeof ctx.flags.as !== 'string' && !ctx.env.ENVC_ACTOR)
    throw new UsageError(`say who you are: --as <your Slack user id>`);
  return withRunner(ctx, { noTerraform: true }, async (r) => {
    const d = r.deps;
    if (sub === 'list') {
      const envs = envNames(ctx);
      const requests =
        // Open requests: still collecting approvals, or approved and waiting for their apply.
        (await d.store.listApprovalRequests(ctx.flags.all ? {} : { status: ['pending', 'approved'] })).filter(
          (q) => envs.length === 0 || envs.includes(q.env),
        );
      const rows = await Promise.all(
        requests.map(async (q) => {
          const plan = await d.store.getPlanByDigest(q.env, q.digest);
          const approvals = (await d.store.listApprovals(q.env, q.digest)).filter(
            (a) => !a.used && a.expiresAt > d.now(),
          );
          return {
            ...q,
            counts: plan ? storedSummary(plan).counts : undefined,
            approvedBy: approvals.map((a) => a.approver),
            needed: d.policy(q.env)?.approvals.minApprovals ?? 1,
          };
        }),
      );
      if (ctx.flags.json) return jsonResult(ExitCode.Ok, { requests: rows });
      if (rows.length === 0) return { exitCode: ExitCode.Ok, stdout: 'no approval requests open\n' };
      const lines = rows.map(
        (q) =>
          `${q.env.padEnd(12)} ${q.digest.slice(0, 12)}  ${q.status.padEnd(10)} requested by ${q.requester} at ${q.createdAt.toISOString()}  ${q.counts ? countsText(q.counts) : ''}  approvals ${q.approvedBy.length}/${q.needed}${q.approvedBy.length ? ` (${q.approvedBy.join(', ')})` : ''}`,
      );
      return { exitCode: ExitCode.Ok, stdout: `${lines.join('\n')}\n` };
    }
    const env = onlyEnv(ctx);
    const deps = { store: d.store, policy: d.policy, isApprover: d.isApprover, now: d.now };
    if (sub === 'approve') {
      const res = await approve(deps, { env, digest: ctx.flags.digest as string, approver: d.actor });
      if (!res.ok)
        return {
          exitCode: ExitCode.Findings,
          stderr: `envc approvals: refused: ${res.message} [${res.code}]\n`,
        };
      if (ctx.flags.json)
        return jsonResult(ExitCode.Ok, {
          env,
          digest: res.digest,
          approver: d.actor,
          expiresAt: res.approval.expiresAt,
        });
      return {
        exitCode: ExitCode.Ok,
        stdout: `approved plan ${res.digest.slice(0, 12)} of ${env} as ${d.actor} (valid until ${res.approval.expiresAt.toISOString()}); apply with: envc apply --env ${env}\n`,
      };
    }
    const reason = typeof ctx.flags.reason === 'string' ? ctx.flags.reason : undefined;
    const res = await deny(deps, {
      env,
      digest: ctx.flags.digest as string,
      actor: d.actor,
      ...(reason ? { reason } : {}),
    });
    if (!res.ok)
      return {
        exitCode: ExitCode.Findings,
        stderr: `envc approvals: refused: ${res.message} [${res.code}]\n`,
      };
    return { exitCode: ExitCode.Ok, stdout: `denied plan ${res.request.digest.slice(0, 12)} of ${env}\n` };
  });
}
