import { destroyEnv } from '../../../runner/destroy.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { onlyEnv } from './options.js';
import { oneOutcomeResult, summaryText } from './render.js';
import { stackOf, withRunner } from './wiring.js';

export async function runDestroy(ctx: CommandContext): Promise<CommandResult> {
  const env = onlyEnv(ctx);
  return withRunner(ctx, { preflight: stackOf('destroy', env, ctx) }, async (r) => {
    const o = await destroyEnv(r.deps, env);
    r.progress.done();
    return oneOutcomeResult(o, Boolean(ctx.flags.json), ctx.errStyle, (v) =>
      summaryText(env, v.plan.digest, v.plan.summary, ctx.style, 'destroyed'),
    );
  });
}
