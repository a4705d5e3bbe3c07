/**
 * The spec a runner command works from: `--spec` (default ./environments.yaml), or none with `--stacks` on
 * bare terraform roots. Light on purpose (no runner, no terraform): `approvals list` uses it beside the store.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Model } from '../../../compiler/model.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { pathFlag } from './options.js';

/** `readOnly`: the command only reads the model, so the cached one may answer (src/cli/model-cache.ts). */
export async function loadSpecModel(
  ctx: CommandContext,
  o: { readOnly?: boolean } = {},
): Promise<
  { ok: true; model?: Model; specPath: string; stacksFlag?: string } | { ok: false; result: CommandResult }
> {
  const specPath = pathFlag(ctx, 'spec') ?? join(ctx.cwd, 'environments.yaml');
  const stacksFlag = pathFlag(ctx, 'stacks');
  const display = relative(ctx.cwd, specPath) || specPath;
  if (!existsSync(specPath)) {
    if (stacksFlag) {
      ctx.progress(
        ctx.errStyle.yellow(
          `warning: no ${display}: without a spec nothing is gated except an environment named "production", which nobody can approve`,
        ),
      );
      return { ok: true, specPath, stacksFlag };
    }
    return {
      ok: false,
      result: {
        exitCode: ExitCode.Findings,
        stderr: `envc: cannot find ${display}; pass --spec FILE (or --stacks DIR to run on bare terraform roots)\n`,
      },
    };
  }
  const { buildModelCached } = await import('../../model-cache.js');
  const built = await buildModelCached({
    specPath,
    displayName: display,
    cwd: ctx.cwd,
    env: ctx.env,
    readOnly: o.readOnly === true,
  });
  const { hasErrors } = await import('../../../compiler/diagnostics/diagnostic.js');
  if (!built.model || hasErrors(built.diagnostics)) {
    const { renderDiagnostics } = await import('../../render-diagnostics.js');
    return {
      ok: false,
      result: {
        exitCode: ExitCode.Findings,
        stderr: `${renderDiagnostics(built.diagnostics, built.source?.text, ctx.errStyle)}envc: ${display} has errors; fix them first (envc validate)\n`,
      },
    };
  }
  return { ok: true, model: built.model, specPath, ...(stacksFlag ? { stacksFlag } : {}) };
}
