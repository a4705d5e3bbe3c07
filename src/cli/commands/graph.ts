import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'graph',
  summary: 'draw environments, modules, namespaces, services, access policies and secrets (Mermaid or DOT)',
  usage: 'envc graph [FILE] [--format mermaid|dot]',
  description: `Prints the platform described by FILE (default ./environments.yaml) as a diagram: each environment
with its Terraform modules, namespaces, services (with ingress hosts), data services and secrets, and the
access policies that reach into it. Mermaid renders on GitHub inside a \`\`\`mermaid block; DOT renders with
Graphviz.

Examples:
  envc graph > platform.mmd
  envc graph --format dot | dot -Tsvg > platform.svg`,
  maxPositionals: 1,
  options: {
    format: {
      type: 'string',
      short: 'f',
      valueName: 'mermaid|dot',
      description: 'diagram language',
      default: 'mermaid',
    },
  },
  async run(ctx) {
    const format = (ctx.flags.format as string | undefined) ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot')
      throw new UsageError(`--format must be mermaid or dot, not "${format}"`);
    const { loadModel } = await import('../spec-model.js');
    const loaded = await loadModel(ctx, ctx.args[0]);
    if ('result' in loaded) return loaded.result;
    const { renderGraph } = await import('../../graph/index.js');
    return { exitCode: ExitCode.Ok, stdout: renderGraph(loaded.model, format) };
  },
};
