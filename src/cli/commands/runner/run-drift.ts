import { driftEnv } from '../../../runner/drift.js';
import { mapLimit } from '../../../runner/parallel.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText } from './render.js';
import { withSelectedEnvs } from './wiring.js';

export async function runDrift(ctx: CommandContext): Promise<CommandResult> {
  return withSelectedEnvs(ctx, 'drift', async (r, envs) => {
    const outcomes = await mapLimit(envs, r.parallel, (env) => driftEnv(r.deps, env));
    r.progress.done();
    const exitCode = exitCodeOf(
      outcomes,
      (o) => o.status === 'ok' && (o.value as { drifted: boolean }).drifted,
    );
    if (ctx.flags.json)
      return jsonResult(
        exitCode,
        { environments: outcomes.map(outcomeJson) },
        problemsText(outcomes, ctx.errStyle),
      );
    const s = ctx.style;
    const lines: string[] = [];
    for (const o of outcomes) {
      if (o.status !== 'ok') continue;
      const d = o.value;
      if (!d.drifted) {
        lines.push(
          `${s.bold(d.env)}  ${s.green('no drift')}${d.resolvedIncidentId ? ` (resolved incident ${d.resolvedIncidentId})` : ''}`,
        );
        continue;
      }
      const inc = d.incident;
      lines.push(
        `${s.bold(d.env)}  ${s.yellow('drift')}  incident ${inc?.id} (${inc?.isNew ? 'new' : inc?.changed ? 'updated, drift changed' : `seen ${inc?.occurrences} times`})`,
      );
      for (const x of d.infrastructure) lines.push(`  changed outside terraform: ${x}`);
      for (const x of d.unapplied) lines.push(`  not yet applied:           ${x}`);
      for (const x of d.staleFiles) lines.push(`  generated/ stale:          ${x}`);
      lines.push(`  next: ${driftNextStep(d)}`);
    }
    return {
      exitCode,
      stdout: lines.length ? `${lines.join('\n')}\n` : '',
      stderr: problemsText(outcomes, ctx.errStyle),
    };
  });
}

/** What to do about one environment's drift, most urgent cause first. */
export function driftNextStep(d: {
  env: string;
  infrastructure: string[];
  unapplied: string[];
  staleFiles: string[];
}): string {
  if (d.staleFiles.length)
    return 'run `envc compile` (generated/ is behind the spec), then `envc drift --env ' + d.env + '` again';
  if (d.infrastructure.length)
    return `run \`envc plan --env ${d.env}\` to see how terraform would undo the outside change, then \`envc apply --env ${d.env}\` — or change the spec to keep it`;
  return `run \`envc apply --env ${d.env}\` to apply what is merged but not yet applied`;
}
