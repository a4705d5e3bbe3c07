import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { hasErrors } from '../compiler/diagnostics/diagnostic.js';
import { ENVC_VERSION } from '../version.js';
import type { CommandContext, OptionSpec } from './command.js';
import { UsageError } from './main.js';
import { renderDiagnostics } from './render-diagnostics.js';

/** Options shared by commands that read a spec and report diagnostics. */
export const formatOption: Record<string, OptionSpec> = {
  format: {
    type: 'string',
    short: 'f',
    valueName: 'text|json|sarif',
    description: 'how to print diagnostics',
    default: 'text',
  },
  json: { type: 'boolean', description: 'same as --format json' },
};

export type Format = 'text' | 'json' | 'sarif';

export function formatOf(ctx: CommandContext): Format {
  if (ctx.flags.json) return 'json';
  const f = (ctx.flags.format as string | undefined) ?? 'text';
  if (f !== 'text' && f !== 'json' && f !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
  return f;
}

export const outOption: Record<string, OptionSpec> = {
  out: {
    type: 'string',
    short: 'o',
    valueName: 'dir',
    description: 'output directory (default: generated/ beside the spec)',
  },
};

/** The spec path: the first argument, else ./environments.yaml. */
export function specPathOf(ctx: CommandContext): { path: string; display: string } {
  const arg = ctx.args[0] ?? 'environments.yaml';
  const path = isAbsolute(arg) ? arg : join(ctx.cwd, arg);
  return { path, display: relative(ctx.cwd, path) || arg };
}

/** generated/ beside the spec unless --out says otherwise. */
export function outDirOf(ctx: CommandContext, specPath: string): string {
  const out = ctx.flags.out as string | undefined;
  if (!out) return join(dirname(specPath), 'generated');
  return isAbsolute(out) ? out : join(ctx.cwd, out);
}

/** Diagnostics in the requested format. JSON and SARIF go to stdout (they are data); text to stderr. */
export async function printDiagnostics(
  ctx: CommandContext,
  format: Format,
  diags: readonly Diagnostic[],
  sourceText: string | undefined,
  extra: Record<string, unknown> = {},
): Promise<{ stdout?: string; stderr?: string }> {
  if (format === 'json') {
    return {
      stdout: `${JSON.stringify({ ok: !hasErrors(diags), diagnostics: diags, ...extra }, null, 2)}\n`,
    };
  }
  if (format === 'sarif') {
    const { toSarif } = await import('../compiler/diagnostics/sarif.js');
    return { stdout: `${JSON.stringify(toSarif(diags, ENVC_VERSION), null, 2)}\n` };
  }
  const text = renderDiagnostics(diags, sourceText, ctx.errStyle);
  return text ? { stderr: text } : {};
}
