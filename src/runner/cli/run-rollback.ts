import type { CommandContext, CommandResult } from '../../cli/command.js';
import { UsageError } from '../../cli/main.js';
import { type RollbackSource, rollbackEnv } from '../rollback.js';
import { onlyEnv } from './options.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText, summaryText } from './render.js';
import { openCliRunner } from './wiring.js';

export async function runRollback(ctx: CommandContext): Promise<CommandResult> {
  const env = onlyEnv(ctx);
  const ref = ctx.flags.to;
  if (typeof ref !== 'string' || ref === '')
    throw new UsageError('name the git ref to roll back to with --to REF');
  const opened = await openCliRunner(ctx, {
    preflight: (available, stacksDir) =>
      available.includes(env)
        ? undefined
        : { exitCode: 64, stderr: `envc rollback: no stack for "${env}" under ${stacksDir}\n` },
  });
  if (!opened.ok) return opened.result;
  const r = opened.runner;
  try {
    const source: RollbackSource =
      typeof ctx.flags.stacks === 'string'
        ? { kind: 'stacks' }
        : {
            kind: 'spec',
            specPath: r.specPath,
            compile: async (text, file) => {
              const [{ compileText }, { hasErrors }, { renderShort }] = await Promise.all([
                import('../../compiler/pipeline.js'),
                import('../../compiler/diagnostics/diagnostic.js'),
                import('../../compiler/diagnostics/render.js'),
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
    const exitCode = exitCodeOf([o]);
    if (ctx.flags.json) return jsonResult(exitCode, outcomeJson(o), problemsText([o], ctx.errStyle));
    const out =
      o.status === 'ok'
        ? summaryText(
            env,
            o.value.plan.digest,
            o.value.plan.summary,
            ctx.style,
            o.value.applied ? `rolled back to ${ref}:` : `rollback plan to ${ref}:`,
          )
        : '';
    return { exitCode, stdout: out, stderr: problemsText([o], ctx.errStyle) };
  } finally {
    await r.close();
  }
}
