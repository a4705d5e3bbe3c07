import { approve, deny } from '../../../runner/approvals.js';
import { Codes } from '../../../runner/context.js';
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
          // Once an apply consumed the approvals they are what the request was applied with: still shown.
          const consumed = ['applying', 'applied', 'failed'].includes(q.status);
          const approvals = (await d.store.listApprovals(q.env, q.digest)).filter((a) =>
            consumed ? a.used : !a.used && a.expiresAt > d.now(),
          );
          return {
            ...q,
            counts: plan ? storedSummary(plan).counts : undefined,
            approvedBy: approvals.map((a) => a.approver),
            approvals: approvals.map((a) => ({ approver: a.approver, via: a.via, at: a.createdAt })),
            needed: d.policy(q.env)?.approvals.minApprovals ?? 1,
          };
        }),
      );
      if (ctx.flags.json) return jsonResult(ExitCode.Ok, { requests: rows });
      if (rows.length === 0) return { exitCode: ExitCode.Ok, stdout: 'no approval requests open\n' };
      const lines = rows.map(
        (q) =>
          `${q.env.padEnd(12)} ${q.digest.slice(0, 12)}  ${q.status.padEnd(10)} requested by ${q.requester} at ${q.createdAt.toISOString()}  ${q.counts ? countsText(q.counts) : ''}  approvals ${q.approvals.length}/${q.needed}${q.approvals.length ? ` (${q.approvals.map((a) => `${a.approver} via ${a.via} at ${a.at.toISOString()}`).join(', ')})` : ''}${q.deniedBy ? `  denied by ${q.deniedBy}${q.reason ? `: ${q.reason}` : ''}` : ''}`,
      );
      return { exitCode: ExitCode.Ok, stdout: `${lines.join('\n')}\n` };
    }
    const env = onlyEnv(ctx);
    const deps = { store: d.store, policy: d.policy, isApprover: d.isApprover, now: d.now };
    // Approving or denying needs a proven identity: a name (--as, ENVC_ACTOR, the login) proves nothing.
    if (!r.verified) {
      await d.store.audit({
        actor: d.actor,
        env,
        action: `${sub === 'approve' ? 'approval' : 'denial'}.refuse`,
        details: { digest: String(ctx.flags.digest), code: Codes.unverifiedIdentity, claimed: d.actor },
      });
      return {
        exitCode: ExitCode.Findings,
        stderr: `envc approvals: refused: ${d.actor} is a name, not a verified identity; an approval or denial counts only from a signed Slack request or a verified CI identity [${Codes.unverifiedIdentity}]
next: press Approve on the request in Slack (or /infra ${sub} ${env} ${String(ctx.flags.digest).slice(0, 12)}); in CI, run with a GitHub Actions OIDC token (ENVC_OIDC_REPOSITORY, permissions: id-token: write) — see docs/security.md
`,
      };
    }
    const evidence = Object.fromEntries(
      Object.entries(r.verified).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    if (sub === 'approve') {
      const res = await approve(deps, {
        env,
        digest: ctx.flags.digest as string,
        approver: d.actor,
        via: 'github-oidc',
        evidence,
      });
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
