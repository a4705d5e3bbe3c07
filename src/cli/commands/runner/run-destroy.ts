import { destroyEnv } from '../../../runner/destroy.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { onlyEnv } from './options.js';
import { oneOutcomeResult, summaryText } from './render.js';
import { stackOf, withRunner } from './wiring.js';

export async function runDestroy(ctx: CommandContext): Promise<CommandResult> {
  const env = onlyEnv(ctx);
  const confirmed = await confirmDestroy(ctx, env);
  if (confirmed) return confirmed;
  return withRunner(ctx, { preflight: stackOf('destroy', env, ctx) }, async (r) => {
    const o = await destroyEnv(r.deps, env);
    r.progress.done();
    return oneOutcomeResult(o, Boolean(ctx.flags.json), ctx.errStyle, (v) =>
      summaryText(env, v.plan.digest, v.plan.summary, ctx.style, 'destroyed'),
    );
  });
}

/**
 * Destroying is never one keystroke away: `--yes` says so on the command line (CI, scripts); on a terminal
 * the person types the environment's name; anywhere else (a pipe, a job without `--yes`) it is refused,
 * because nobody could have confirmed it. Returns the refusal, or undefined to go on.
 */
async function confirmDestroy(ctx: CommandContext, env: string): Promise<CommandResult | undefined> {
  if (ctx.flags.yes === true) return undefined;
  const refuse = (why: string): CommandResult => ({
    exitCode: ExitCode.Findings,
    stderr: `envc destroy: refused: ${why}\nnext: envc destroy --env ${env} --yes   (or run it on a terminal and type the name)\n`,
  });
  if (!ctx.ask) return refuse(`destroying ${env} needs a confirmation, and this is not a terminal`);
  const answer = await ctx.ask(
    `This destroys every resource of ${env}. Type the environment's name to confirm: `,
  );
  if (answer.trim() !== env)
    return refuse(`"${answer.trim()}" is not "${env}"; nothing was planned or destroyed`);
  return undefined;
}
