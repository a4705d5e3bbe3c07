/** `envc init --ci github --app`: the traffic-check workflow for an application repository. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { CommandContext, CommandResult } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { printDiagnostics } from '../spec-args.js';

export async function initApp(ctx: CommandContext): Promise<CommandResult> {
  const abs = (p: string) => (isAbsolute(p) ? p : join(ctx.cwd, p));
  const specFile = (ctx.flags.spec as string | undefined) ?? 'environments.yaml';
  const dir = abs((ctx.flags.dir as string | undefined) ?? '.');
  const { buildModel } = await import('../../compiler/pipeline.js');
  const built = await buildModel(abs(specFile));
  if (!built.model || built.diagnostics.some((d) => d.severity === 'error')) {
    const out = await printDiagnostics(ctx, 'text', built.diagnostics, built.source?.text);
    return {
      exitCode: ExitCode.Findings,
      stderr: `${out.stderr ?? ''}envc init --app: the workflow is derived from the platform spec; ${specFile} must be valid\n`,
    };
  }
  const { renderAppWorkflow } = await import('../../init/render-app.js');
  const wf = renderAppWorkflow(built.model, {
    ...(ctx.flags.manifests ? { manifests: String(ctx.flags.manifests) } : {}),
  });
  const target = join(dir, wf.path);
  if (existsSync(target) && !ctx.flags.force)
    return {
      exitCode: ExitCode.Findings,
      stderr: `envc init: refusing to overwrite ${wf.path} (nothing was written); rerun with --force to replace it\n`,
    };
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, wf.content);
  return {
    exitCode: ExitCode.Ok,
    stdout: `${ctx.style.green('wrote')} ${wf.path}\n\nnext (in the app repository):\n  declare needed connections: annotation envc.io/needs on workloads, or envc-needs.yaml (docs/traffic.md)\n  a private platform repository needs the secret ENVC_PLATFORM_TOKEN (read-only access to it)\n`,
  };
}
