import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import type { BringUpGraph } from '../../compiler/platform/bringup-graph.js';
import type { FlowResult } from '../../compiler/platform/flow-check.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatOf, formatOption, printDiagnostics, specPathOf } from '../spec-args.js';

function flowJson(r: FlowResult) {
  return {
    title: r.flow.title,
    need: r.flow.need,
    environment: r.flow.env,
    from: r.flow.from,
    to: r.flow.to,
    ok: r.ok,
    layers: r.verdicts.map((v) => ({
      layer: v.layer,
      allowed: v.allowed,
      decidedBy: v.decidedBy,
      detail: v.detail,
    })),
  };
}

function bringUpJson(g: BringUpGraph) {
  return g.steps.map((s) => ({
    step: s.index + 1,
    kind: s.kind,
    ...(s.env ? { environment: s.env } : {}),
    title: s.title,
    command: s.command,
  }));
}

export const command: CommandSpec = {
  name: 'verify',
  summary: 'check the platform as a whole: bring-up from an empty account and every flow across the layers',
  usage: 'envc verify [FILE] [--order] [--flows] [--format text|json|sarif]',
  description: `Compiles FILE (default ./environments.yaml) in memory — nothing is written — and checks the platform
it describes as one system:

  bring-up  walks every step the runner takes on an empty Linode account (state bucket, each environment's
            Terraform roots, ArgoCD's sync, the first rotation) and reports anything that would wait on
            something not there yet: a CRD, a Secret, a namespace, the state bucket, a cluster (ENVC25xx);
  flows     checks every connection the platform needs (ArgoCD, the bot and CI to each API server, services
            to PostgreSQL, Redis, Object Storage and their allowlists, ingress to services and ACME solvers,
            Prometheus to its targets, the API server to webhooks, LKE's node traffic, DNS for each host) and
            every one it must never have (across environments, internet to data) through each layer it
            crosses: control-plane ACL, Cloud Firewall, database allow list, NetworkPolicy, DNS (ENVC26xx).

\`envc compile\` runs the same checks and writes nothing when they fail. --order prints the bring-up order;
--flows lists every flow with its verdict per layer. \`envc traffic\` answers single questions over the same
model. Exit codes: 0 no errors, 1 errors found, 64 bad flags.

Examples:
  envc verify
  envc verify --order                   # the steps from an empty account
  envc verify --format sarif > verify.sarif`,
  maxPositionals: 1,
  options: {
    ...formatOption,
    order: { type: 'boolean', description: 'print the bring-up order from an empty account' },
    flows: { type: 'boolean', description: 'list every flow and its verdict per layer' },
  },
  async run(ctx) {
    const format = formatOf(ctx);
    const spec = specPathOf(ctx);
    const { compileSpec } = await import('../../compiler/pipeline.js');
    const compiled = await compileSpec(spec.path, { displayName: spec.display });
    if (!compiled.model || hasErrors(compiled.diagnostics)) {
      const out = await printDiagnostics(ctx, format, compiled.diagnostics, compiled.source?.text, {
        file: spec.display,
      });
      return { exitCode: ExitCode.Findings, ...out };
    }
    const { verifyPlatform } = await import('../../compiler/platform/verify.js');
    const { printBringUp } = await import('../../compiler/platform/bringup.js');
    const result = verifyPlatform(compiled.model, compiled.files);
    const failed = hasErrors(result.diagnostics);
    const exitCode = failed ? ExitCode.Findings : ExitCode.Ok;
    const needed = result.flows.filter((f) => f.flow.need === 'needed').length;
    const summary = {
      bringUpSteps: result.bringUp.steps.length,
      flows: { needed, forbidden: result.flows.length - needed },
    };
    if (format === 'json') {
      return {
        exitCode,
        stdout: `${JSON.stringify(
          {
            ok: !failed,
            file: spec.display,
            summary,
            diagnostics: result.diagnostics,
            bringUp: bringUpJson(result.bringUp),
            ...(ctx.flags.flows ? { flows: result.flows.map(flowJson) } : {}),
          },
          null,
          2,
        )}\n`,
      };
    }
    if (format === 'sarif') {
      const out = await printDiagnostics(ctx, 'sarif', result.diagnostics, compiled.source?.text);
      return { exitCode, ...out };
    }
    const printed = await printDiagnostics(ctx, 'text', result.diagnostics, compiled.source?.text);
    const parts: string[] = [];
    if (ctx.flags.order) parts.push(printBringUp(result.bringUp));
    if (ctx.flags.flows)
      parts.push(
        `${result.flows
          .map((r) => {
            const mark = r.ok ? ctx.style.green('ok  ') : ctx.style.red('FAIL');
            const layers = r.verdicts.map((v) => `${v.layer}:${v.allowed ? 'allow' : 'deny'}`).join(' ');
            return `${mark} [${r.flow.need}] ${r.flow.title}  (${layers})`;
          })
          .join('\n')}\n`,
      );
    if (!failed)
      parts.push(
        `${ctx.style.green('ok')} ${spec.display}: ${summary.bringUpSteps} bring-up steps, ${needed} needed and ${summary.flows.forbidden} forbidden flows verified\n`,
      );
    return {
      exitCode,
      ...(parts.length ? { stdout: parts.join('\n') } : {}),
      ...(printed.stderr ? { stderr: printed.stderr } : {}),
    };
  },
};
