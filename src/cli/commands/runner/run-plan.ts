import { planCostText } from '../../../cost/text.js';
import { mapLimit } from '../../../runner/parallel.js';
import { planEnv } from '../../../runner/plan.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText, summaryText } from './render.js';
import { withSelectedEnvs } from './wiring.js';

export async function runPlan(ctx: CommandContext): Promise<CommandResult> {
  return withSelectedEnvs(ctx, 'plan', async (r, envs) => {
    // Plans only read state: every environment at once (system is merely started first).
    const outcomes = await mapLimit(envs, r.parallel, (env) => planEnv(r.deps, env));
    r.progress.done();
    const exitCode = exitCodeOf(
      outcomes,
      (o) => o.status === 'ok' && (o.value as { summary: { hasChanges: boolean } }).summary.hasChanges,
    );
    if (ctx.flags.json) {
      return jsonResult(
        exitCode,
        {
          environments: outcomes.map((o) => {
            if (o.status !== 'ok') return outcomeJson(o);
            const v = o.value;
            return {
              env: v.env,
              status: 'ok',
              digest: v.digest,
              kind: v.kind,
              planPath: v.planPath,
              ...(v.revision ? { revision: v.revision } : {}),
              ...v.summary,
              ...(v.cost ? { cost: v.cost } : {}),
            };
          }),
        },
        problemsText(outcomes, ctx.errStyle),
      );
    }
    const text = outcomes
      .map((o) =>
        o.status === 'ok'
          ? summaryText(o.env, o.value.digest, o.value.summary, ctx.style) +
            (o.value.cost ? planCostText(o.value.cost, ctx.style) : '')
          : '',
      )
      .join('');
    // One staleness warning per run, not per environment.
    const stale = outcomes
      .map((o) => (o.status === 'ok' ? o.value.cost?.catalogue.stale : undefined))
      .find(Boolean);
    return {
      exitCode,
      stdout: text,
      stderr: `${stale ? `${ctx.errStyle.yellow(stale)}\n` : ''}${problemsText(outcomes, ctx.errStyle)}`,
    };
  });
}
