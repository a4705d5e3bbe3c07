import type { CommandContext, CommandResult } from '../../cli/command.js';
import { destroyEnv } from '../destroy.js';
import { onlyEnv } from './options.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText, summaryText } from './render.js';
import { openCliRunner } from './wiring.js';

export async function runDestroy(ctx: CommandContext): Promise<CommandResult> {
  const env = onlyEnv(ctx);
  const opened = await openCliRunner(ctx, {
    preflight: (available, stacksDir) =>
      available.includes(env)
        ? undefined
        : { exitCode: 64, stderr: `envc destroy: no stack for "${env}" under ${stacksDir}\n` },
  });
  if (!opened.ok) return opened.result;
  const r = opened.runner;
  try {
    const o = await destroyEnv(r.deps, env);
    r.progress.done();
    const exitCode = exitCodeOf([o]);
    if (ctx.flags.json) return jsonResult(exitCode, outcomeJson(o), problemsText([o], ctx.errStyle));
    const out =
      o.status === 'ok'
        ? summaryText(env, o.value.plan.digest, o.value.plan.summary, ctx.style, 'destroyed')
        : '';
    return { exitCode, stdout: out, stderr: problemsText([o], ctx.errStyle) };
  } finally {
    await r.close();
  }
}
