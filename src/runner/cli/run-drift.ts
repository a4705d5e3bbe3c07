import type { CommandContext, CommandResult } from '../../cli/command.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { driftEnv } from '../drift.js';
import { mapLimit } from '../parallel.js';
import { selectEnvs } from '../stacks.js';
import { envNames } from './options.js';
import { exitCodeOf, jsonResult, outcomeJson, problemsText } from './render.js';
import { openCliRunner } from './wiring.js';

export async function runDrift(ctx: CommandContext): Promise<CommandResult> {
  let envs: string[] = [];
  const opened = await openCliRunner(ctx, {
    preflight: (available, stacksDir) => {
      const sel = selectEnvs(available, { envs: envNames(ctx), all: ctx.flags.all === true }, stacksDir);
      if (!sel.ok) return { exitCode: ExitCode.Usage, stderr: `envc drift: ${sel.message}\n` };
      envs = sel.envs;
      return undefined;
    },
  });
  if (!opened.ok) return opened.result;
  const r = opened.runner;
  const sel = { envs };
  try {
    const outcomes = await mapLimit(sel.envs, r.parallel, (env) => driftEnv(r.deps, env));
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
    }
    return {
      exitCode,
      stdout: lines.length ? `${lines.join('\n')}\n` : '',
      stderr: problemsText(outcomes, ctx.errStyle),
    };
  } finally {
    await r.close();
  }
}
