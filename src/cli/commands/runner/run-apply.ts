import { applyEnv } from '../../../runner/apply.js';
import { systemFirst } from '../../../runner/parallel.js';
import { countsText } from '../../../runner/summary.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText } from './render.js';
import { withSelectedEnvs } from './wiring.js';

export async function runApply(ctx: CommandContext): Promise<CommandResult> {
  return withSelectedEnvs(ctx, 'apply', async (r, envs) => {
    const digest = typeof ctx.flags.digest === 'string' ? ctx.flags.digest : undefined;
    if (digest && envs.length !== 1)
      return {
        exitCode: ExitCode.Usage,
        stderr: 'envc apply: --digest names the plan of one environment; give exactly one --env\n',
      };
    const outcomes = await systemFirst(envs, r.parallel, (env) =>
      applyEnv(r.deps, env, digest ? { digest } : {}),
    );
    r.progress.done();
    const exitCode = exitCodeOf(outcomes);
    if (ctx.flags.json)
      return jsonResult(
        exitCode,
        { environments: outcomes.map(outcomeJson) },
        problemsText(outcomes, ctx.errStyle),
      );
    const lines = outcomes
      .filter((o) => o.status === 'ok')
      .map((o) => {
        const v = o.value;
        if (v.noChanges) return `${ctx.style.bold(o.env)}  no changes to apply\n`;
        return `${ctx.style.bold(o.env)}  applied ${ctx.style.cyan(v.digest.slice(0, 12))}  ${countsText(v.counts)}${v.approvedBy.length ? `  approved by ${v.approvedBy.join(', ')}` : ''}\n`;
      });
    return { exitCode, stdout: lines.join(''), stderr: problemsText(outcomes, ctx.errStyle) };
  });
}
