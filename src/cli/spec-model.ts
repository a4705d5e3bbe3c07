/**
 * Loading the model for commands that only read it (graph, handoff, probe): the spec path from `--spec`
 * (default ./environments.yaml), and on invalid input the compiler-style diagnostics with exit code 1.
 */
import { isAbsolute, join, relative } from 'node:path';
import { hasErrors } from '../compiler/diagnostics/diagnostic.js';
import { suggest } from '../compiler/diagnostics/suggest.js';
import type { EnvironmentModel, Model } from '../compiler/model.js';
import type { CommandContext, CommandResult, OptionSpec } from './command.js';
import { ExitCode } from './exit-codes.js';

export const specOption: Record<string, OptionSpec> = {
  spec: { type: 'string', valueName: 'FILE', description: 'the spec to read', default: 'environments.yaml' },
};

export function specPath(ctx: CommandContext, arg?: string): { path: string; display: string } {
  const given = arg ?? (ctx.flags.spec as string | undefined) ?? 'environments.yaml';
  const path = isAbsolute(given) ? given : join(ctx.cwd, given);
  return { path, display: relative(ctx.cwd, path) || given };
}

/** The model, or the command result that explains why there is none. */
export async function loadModel(
  ctx: CommandContext,
  arg?: string,
  /** The command only reads the model: the cached one may answer (src/cli/model-cache.ts). */
  o: { readOnly?: boolean } = {},
): Promise<{ model: Model } | { result: CommandResult }> {
  const spec = specPath(ctx, arg);
  const { buildModelCached } = await import('./model-cache.js');
  const built = await buildModelCached({
    specPath: spec.path,
    displayName: spec.display,
    cwd: ctx.cwd,
    env: ctx.env,
    readOnly: o.readOnly === true,
  });
  if (built.model && !hasErrors(built.diagnostics)) return { model: built.model };
  const { renderDiagnostics } = await import('./render-diagnostics.js');
  const text = renderDiagnostics(built.diagnostics, built.source?.text, ctx.errStyle);
  return {
    result: {
      exitCode: ExitCode.Findings,
      stderr: `${text}${text.endsWith('\n') ? '' : '\n'}${spec.display} is not valid; run \`envc validate\` for details\n`,
    },
  };
}

/** Resolves `--env E` / `--all` / a positional env into environments, or a usage message. */
export function selectEnvironments(
  model: Model,
  names: readonly string[],
  all: boolean,
): EnvironmentModel[] | string {
  if (all || names.length === 0) return model.environments;
  const out: EnvironmentModel[] = [];
  for (const n of names) {
    const env = model.environments.find((e) => e.name === n);
    if (!env) {
      const known = model.environments.map((e) => e.name);
      const s = suggest(n, known);
      return `unknown environment "${n}"${s ? ` — did you mean "${s}"?` : ''} (known: ${known.join(', ')})`;
    }
    if (!out.includes(env)) out.push(env);
  }
  return out;
}
