import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';
import { printDiagnostics, specPathOf } from '../spec-args.js';

export const command: CommandSpec = {
  name: 'cost',
  summary: 'monthly cost of every environment from the spec, against its budget',
  usage: 'envc cost [FILE] [--env E]... [--json] [--prices FILE]',
  description: `Prices what FILE (default ./environments.yaml) runs on Linode per month: node pools (count × plan
price in the environment's region; autoscaled pools also as a min–max range), the HA control plane, managed
databases (plan × nodes), NodeBalancers (every Service of type LoadBalancer, the ingress controller's
included), Object Storage and Block Storage volumes (Prometheus, Alertmanager, Loki, Tempo, Redis claims).
A price the catalogue lacks is listed by name, never counted as zero.

Prices come from --prices FILE (or ENVC_PRICES), else envc-prices.json beside the spec (written by
\`envc prices update\`), else the snapshot shipped with envc. A catalogue older than 90 days is warned about.

Exit codes: 0 ok; 1 the spec is invalid, an environment is over its budget or a price is unknown;
64 unknown environment or flag.

Examples:
  envc cost
  envc cost --env production --json`,
  maxPositionals: 1,
  options: {
    env: {
      type: 'string',
      multiple: true,
      short: 'e',
      valueName: 'ENV',
      description: 'only this environment (repeatable)',
    },
    json: { type: 'boolean', description: 'print the cost as JSON' },
    prices: {
      type: 'string',
      valueName: 'FILE',
      description: 'price catalogue to use (default: envc-prices.json, else the shipped snapshot)',
    },
  },
  async run(ctx) {
    const spec = specPathOf(ctx);
    const { buildModel } = await import('../../compiler/pipeline.js');
    const built = await buildModel(spec.path, { displayName: spec.display });
    if (!built.model) {
      const out = await printDiagnostics(
        ctx,
        ctx.flags.json ? 'json' : 'text',
        built.diagnostics,
        built.source?.text,
      );
      return { exitCode: ExitCode.Findings, ...out };
    }
    const model = built.model;
    const wanted = (ctx.flags.env as string[] | undefined) ?? [];
    const known = model.environments.map((e) => e.name);
    for (const w of wanted) {
      if (!known.includes(w)) {
        const { suggest } = await import('../../compiler/diagnostics/suggest.js');
        const s = suggest(w, known);
        throw new UsageError(
          `unknown environment "${w}"${s ? ` — did you mean "${s}"?` : ''} (known: ${known.join(', ')})`,
        );
      }
    }
    const { loadCatalogue } = await import('../../cost/catalogue-file.js');
    const loaded = loadCatalogue({
      cwd: ctx.cwd,
      specPath: spec.path,
      explicit: (ctx.flags.prices as string | undefined) ?? ctx.env.ENVC_PRICES,
    });
    if ('error' in loaded) return { exitCode: ExitCode.Findings, stderr: `envc: ${loaded.error}\n` };
    const { specCost } = await import('../../cost/spec-cost.js');
    const cost = specCost(model, loaded.catalogue, {
      today: new Date().toISOString().slice(0, 10),
      ...(wanted.length ? { envs: wanted } : {}),
      catalogueWhere: loaded.where,
    });
    const over = cost.environments.filter((e) => e.budget && e.monthly > e.budget.monthly).map((e) => e.env);
    const unknown = cost.environments.flatMap((e) => e.unknown.map((u) => ({ env: e.env, ...u })));
    const specErrors = built.diagnostics.filter((d) => d.severity === 'error');
    const exitCode = over.length || unknown.length || specErrors.length ? ExitCode.Findings : ExitCode.Ok;
    const warn = [
      cost.catalogue.stale,
      ...specErrors.map((d) => `${d.file}:${d.line}:${d.column} error ${d.code} ${d.message}`),
    ].filter(Boolean);
    const stderr = warn.length ? `${warn.join('\n')}\n` : '';
    if (ctx.flags.json) {
      return {
        exitCode,
        stdout: `${JSON.stringify({ ...cost, catalogue: { ...cost.catalogue, where: loaded.where } }, null, 2)}\n`,
        ...(stderr ? { stderr } : {}),
      };
    }
    const { costText } = await import('../../cost/text.js');
    return { exitCode, stdout: costText(cost, loaded.where, ctx.style), ...(stderr ? { stderr } : {}) };
  },
};
