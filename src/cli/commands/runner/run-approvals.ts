import { approve, deny } from '../../../runner/approvals.js';
import { Codes } from '../../../runner/context.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { UsageError } from '../../main.js';
import { onlyEnv } from './options.js';
import { jsonResult } from './render.js';
import { withRunner } from './wiring.js';

/** `approve` and `deny` (the command lists with run-approvals-list.ts, which loads no runner). */
export async function runApprovals(ctx: CommandContext): Promise<CommandResult> {
  const sub = ctx.args[0];
  if (sub !== 'approve' && sub !== 'deny')
    throw new UsageError(`envc approvals list|approve|deny (not "${sub}")`);
  if (typeof ctx.flags.digest !== 'string')
    throw new UsageError(`name the plan: envc approvals ${sub} --env E --digest D`);
  return withRunner(ctx, { noTerraform: true }, async (r) => {
    const d = r.deps;
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
