/**
 * `envc approvals list`: reads the store and the spec's approval policy, nothing else — no runner, no
 * terraform, no identity — so it answers as fast as `envc lock` (the model comes from src/cli/model-cache.ts).
 */

import type { StoredSummary } from '../../../runner/plan.js';
import { policyFromModel, specless } from '../../../runner/policy.js';
import { countsText } from '../../../runner/summary.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { envNames } from './options.js';
import { loadSpecModel } from './spec.js';

export async function listApprovals(ctx: CommandContext): Promise<CommandResult> {
  const spec = await loadSpecModel(ctx, { readOnly: true });
  if (!spec.ok) return spec.result;
  const policy = spec.model ? policyFromModel(spec.model) : specless;
  const { openStore } = await import('../../../store/index.js');
  const store = await openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd });
  try {
    const envs = envNames(ctx);
    const now = new Date();
    const requests =
      // Open requests: still collecting approvals, or approved and waiting for their apply.
      (await store.listApprovalRequests(ctx.flags.all ? {} : { status: ['pending', 'approved'] })).filter(
        (q) => envs.length === 0 || envs.includes(q.env),
      );
    const rows = await Promise.all(
      requests.map(async (q) => {
        const plan = await store.getPlanByDigest(q.env, q.digest);
        // Once an apply consumed the approvals they are what the request was applied with: still shown.
        const consumed = ['applying', 'applied', 'failed'].includes(q.status);
        const approvals = (await store.listApprovals(q.env, q.digest)).filter((a) =>
          consumed ? a.used : !a.used && a.expiresAt > now,
        );
        return {
          ...q,
          counts: plan ? (plan.summary as unknown as StoredSummary).counts : undefined,
          approvedBy: approvals.map((a) => a.approver),
          approvals: approvals.map((a) => ({ approver: a.approver, via: a.via, at: a.createdAt })),
          needed: policy(q.env)?.approvals.minApprovals ?? 1,
        };
      }),
    );
    if (ctx.flags.json)
      return { exitCode: ExitCode.Ok, stdout: `${JSON.stringify({ requests: rows }, null, 2)}\n` };
    if (rows.length === 0) return { exitCode: ExitCode.Ok, stdout: 'no approval requests open\n' };
    const lines = rows.map(
      (q) =>
        `${q.env.padEnd(12)} ${q.digest.slice(0, 12)}  ${q.status.padEnd(10)} requested by ${q.requester} at ${q.createdAt.toISOString()}  ${q.counts ? countsText(q.counts) : ''}  approvals ${q.approvals.length}/${q.needed}${q.approvals.length ? ` (${q.approvals.map((a) => `${a.approver} via ${a.via} at ${a.at.toISOString()}`).join(', ')})` : ''}${q.deniedBy ? `  denied by ${q.deniedBy}${q.reason ? `: ${q.reason}` : ''}` : ''}`,
    );
    return { exitCode: ExitCode.Ok, stdout: `${lines.join('\n')}\n` };
  } finally {
    await store.close();
  }
}
