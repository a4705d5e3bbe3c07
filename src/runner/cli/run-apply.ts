import type { CommandContext, CommandResult } from '../../cli/command.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { applyEnv } from '../apply.js';
import { systemFirst } from '../parallel.js';
import { selectEnvs } from '../stacks.js';
import { countsText } from '../summary.js';
import { envNames } from './options.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText } from './render.js';
import { openCliRunner } from './wiring.js';

export async function runApply(ctx: CommandContext): Promise<CommandResult> {
  let envs: string[] = [];
  const opened = await openCliRunner(ctx, {
    preflight: (available, stacksDir) => {
      const sel = selectEnvs(available, { envs: envNames(ctx), all: ctx.flags.all === true }, stacksDir);
      if (!sel.ok) return { exitCode: ExitCode.Usage, stderr: `envc apply: ${sel.message}\n` };
      envs = sel.envs;
      return undefined;
    },
  });
  if (!opened.ok) return opened.result;
  const r = opened.runner;
  const sel = { envs };
  try {
    const digest = typeof ctx.flags.digest === 'string' ? ctx.flags.digest : undefined;
    if (digest && sel.envs.length !== 1)
      return {
        exitCode: ExitCode.Usage,
        stderr: 'envc apply: --digest names the plan of one environment; give exactly one --env\n',
      };
    const outcomes = await systemFirst(sel.envs, r.parallel, (env) =>
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
  } finally {
    await r.close();
  }
}
