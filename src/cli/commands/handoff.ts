import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'handoff',
  summary: "print an environment's handoff sheet: namespaces, limits, hosts, secret references, dashboards",
  usage: 'envc handoff <env> [--json | --format markdown|json] [--spec FILE]',
  description: `Prints what an app team gets in <env>: namespaces and limits, ingress hosts, where data-service
credentials live (Secret names and keys — never values), secrets and their rotation, dashboards, the
NetworkPolicy overrides in use, and how to request access. The same sheet is compiled into
generated/handoff/<env>.json (JSON Schema: schemas/handoff.schema.json) and served by the bot at
GET /api/v1/handoff/{env} (docs/api/openapi.yaml).

Examples:
  envc handoff staging
  envc handoff production --json | jq '.dataServices[].endpoint.secretRef'`,
  maxPositionals: 1,
  options: {
    format: {
      type: 'string',
      short: 'f',
      valueName: 'markdown|json',
      description: 'output format',
      default: 'markdown',
    },
    json: { type: 'boolean', description: 'same as --format json' },
    spec: {
      type: 'string',
      valueName: 'FILE',
      description: 'the spec to read',
      default: 'environments.yaml',
    },
  },
  async run(ctx) {
    const format = ctx.flags.json ? 'json' : ((ctx.flags.format as string | undefined) ?? 'markdown');
    if (format !== 'markdown' && format !== 'json')
      throw new UsageError(`--format must be markdown or json, not "${format}"`);
    const envName = ctx.args[0];
    if (!envName) throw new UsageError('name the environment, e.g. `envc handoff staging`');
    const { loadModel, selectEnvironments } = await import('../spec-model.js');
    const loaded = await loadModel(ctx);
    if ('result' in loaded) return loaded.result;
    const envs = selectEnvironments(loaded.model, [envName], false);
    if (typeof envs === 'string') return { exitCode: ExitCode.Usage, stderr: `envc handoff: ${envs}\n` };
    const { buildHandoff, renderHandoffJson, renderHandoffMarkdown } = await import(
      '../../compiler/emitters/handoff/index.js'
    );
    const sheet = buildHandoff(loaded.model, envs[0]!);
    return {
      exitCode: ExitCode.Ok,
      stdout: format === 'json' ? renderHandoffJson(sheet) : renderHandoffMarkdown(sheet),
    };
  },
};
