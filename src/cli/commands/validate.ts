import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import { buildModel } from '../../compiler/pipeline.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatOf, formatOption, printDiagnostics, specPathOf } from '../spec-args.js';

export const command: CommandSpec = {
  name: 'validate',
  summary: 'check environments.yaml against the schema and policy rules',
  usage: 'envc validate [FILE] [--format text|json|sarif]',
  description: `Reads FILE (default ./environments.yaml), checks it against schemas/environments.schema.json and
every policy rule, and reports all problems at once with their file:line:column. Writes nothing.

Examples:
  envc validate
  envc validate staging.yaml --format sarif > envc.sarif   # for GitHub code scanning`,
  maxPositionals: 1,
  options: { ...formatOption },
  async run(ctx) {
    const format = formatOf(ctx);
    const spec = specPathOf(ctx);
    const result = await buildModel(spec.path, { displayName: spec.display });
    const failed = !result.model || hasErrors(result.diagnostics);
    const m = result.model;
    const summary = m
      ? {
          environments: m.environments.map((e) => e.name),
          services: Object.keys(m.serviceOrigins).length,
          accessPolicies: m.accessPolicies.length,
          secrets: m.secrets.length,
        }
      : undefined;
    const out = await printDiagnostics(ctx, format, result.diagnostics, result.source?.text, {
      file: spec.display,
      ...(summary ? { summary } : {}),
    });
    if (format === 'text' && !failed && m && summary) {
      const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
      out.stdout = `${ctx.style.green('ok')} ${spec.display}: ${n(summary.environments.length, 'environment', 'environments')} (${summary.environments.join(', ')}), ${n(summary.services, 'service', 'services')}, ${n(summary.accessPolicies, 'access policy', 'access policies')}, ${n(summary.secrets, 'secret', 'secrets')}\n`;
    }
    return { exitCode: failed ? ExitCode.Findings : ExitCode.Ok, ...out };
  },
};
