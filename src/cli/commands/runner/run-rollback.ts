import { type RollbackSource, rollbackEnv } from '../../../runner/rollback.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { UsageError } from '../../main.js';
import { onlyEnv } from './options.js';
import { oneOutcomeResult, summaryText } from './render.js';
import { stackOf, withRunner } from './wiring.js';

export async function runRollback(ctx: CommandContext): Promise<CommandResult> {
  const env = onlyEnv(ctx);
  const ref = ctx.flags.to;
  if (typeof ref !== 'string' || ref === '')
    throw new UsageError('name the git ref to roll back to with --to REF');
  return withRunner(ctx, { preflight: stackOf('rollback', env, ctx) }, async (r) => {
    const source: RollbackSource =
      typeof ctx.flags.stacks === 'string'
        ? { kind: 'stacks' }
        : {
            kind: 'spec',
            specPath: r.specPath,
            compile: async (text, file) => {
              const [{ compileText }, { hasErrors }, { renderShort }] = await Promise.all([
                import('../../../compiler/pipeline.js'),
                import('../../../compiler/diagnostics/diagnostic.js'),
                import('../../render-diagnostics.js'),
              ]);
              const c = await compileText(text, file);
              return {
                files: c.files,
                errors: hasErrors(c.diagnostics)
                  ? c.diagnostics.filter((d) => d.severity === 'error').map(renderShort)
                  : [],
              };
            },
          };
    const o = await rollbackEnv(r.deps, env, { ref, source, planOnly: ctx.flags['plan-only'] === true });
    r.progress.done();
    return oneOutcomeResult(o, Boolean(ctx.flags.json), ctx.errStyle, (v) =>
      summaryText(
        env,
        v.plan.digest,
        v.plan.summary,
        ctx.style,
        v.applied ? `rolled back to ${ref}:` : `rollback plan to ${ref}:`,
      ),
    );
  });
}
