/**
 * `envc traffic` across every layer (control-plane ACL, Cloud Firewall, database allow list,
 * NetworkPolicy, DNS): compiles the spec in memory and answers from the platform's flow model.
 */
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import type { PlatformAnswer } from '../../compiler/platform/question.js';
import type { CommandContext, CommandResult } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';
import { printDiagnostics } from '../spec-args.js';

function render(a: PlatformAnswer, style: CommandContext['style']): string {
  const lines: string[] = [];
  for (const r of a.results) {
    const through = r.verdicts.every((v) => v.allowed);
    const head = through ? style.green('allow') : style.red('deny');
    const tag =
      r.flow.need === 'forbidden' ? (through ? ' (must never exist!)' : ' (must never exist: ok)') : '';
    lines.push(`${head} ${r.flow.from} -> ${r.flow.to}: ${r.flow.title}${tag}`);
    for (const v of r.verdicts)
      lines.push(
        `  ${v.layer.padEnd(19)} ${v.allowed ? style.green('allow') : style.red('deny ')}  ${v.detail}`,
      );
    const deciding = r.verdicts.find((v) => !v.allowed) ?? r.verdicts[r.verdicts.length - 1];
    if (deciding) lines.push(style.dim(`  decided by: ${deciding.layer} ${deciding.decidedBy}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Answers `from → to` across layers, or returns undefined when the flow model has no such flow. */
export async function answerAcrossLayers(
  ctx: CommandContext,
  specPath: string,
  specDisplay: string,
  from: string,
  to: string,
  strict: boolean,
): Promise<CommandResult | undefined> {
  const { compileSpec } = await import('../../compiler/pipeline.js');
  const compiled = await compileSpec(specPath, { displayName: specDisplay });
  // A fallback (not asked for across layers) keeps the pod-level answer's own error when the spec is unusable.
  if (!strict && (!compiled.model || hasErrors(compiled.diagnostics))) return undefined;
  if (!compiled.model || hasErrors(compiled.diagnostics)) {
    const out = await printDiagnostics(
      ctx,
      ctx.flags.json ? 'json' : 'text',
      compiled.diagnostics,
      compiled.source?.text,
    );
    return { exitCode: ExitCode.Findings, ...out };
  }
  const { buildFacts } = await import('../../compiler/platform/facts.js');
  const { askPlatform } = await import('../../compiler/platform/question.js');
  const answer = askPlatform(buildFacts(compiled.model, compiled.files), from, to);
  if (!answer) {
    if (strict)
      throw new UsageError(
        `no flow of the platform joins "${from}" and "${to}"; try endpoints like system/argocd, ci, <env>/api-server, <env>/<service>, <env>/postgres, <env>/redis, <env>/object-storage, internet`,
      );
    return undefined;
  }
  const exitCode = answer.allowed ? ExitCode.Ok : ExitCode.Findings;
  if (ctx.flags.json) {
    const body = {
      from,
      to,
      verdict: answer.allowed ? 'allow' : 'deny',
      source: `${specDisplay} (compiled in memory)`,
      flows: answer.results.map((r) => {
        const deciding = r.verdicts.find((v) => !v.allowed) ?? r.verdicts[r.verdicts.length - 1];
        return {
          title: r.flow.title,
          need: r.flow.need,
          environment: r.flow.env,
          from: r.flow.from,
          to: r.flow.to,
          allowed: r.verdicts.every((v) => v.allowed),
          ...(deciding ? { decidedBy: { layer: deciding.layer, rule: deciding.decidedBy } } : {}),
          layers: r.verdicts.map((v) => ({
            layer: v.layer,
            allowed: v.allowed,
            rule: v.decidedBy,
            detail: v.detail,
          })),
        };
      }),
    };
    return { exitCode, stdout: `${JSON.stringify(body, null, 2)}\n` };
  }
  return { exitCode, stdout: render(answer, ctx.style) };
}
