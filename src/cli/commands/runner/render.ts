/** Outcomes → what the CLI prints (text or JSON) and its exit code. Pure. */

import type { Outcome } from '../../../runner/context.js';
import { STALE_PLAN_CODES } from '../../../runner/freshness.js';
import type { PlanSummary } from '../../../runner/summary.js';
import { countsText } from '../../../runner/summary.js';
import type { CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import type { Style } from '../../output.js';

/**
 * Terraform failures whose cause envc knows: the environment is not ready (exit 5, like preflight) and the
 * next step is envc's own, not "read terraform's output". Matched on terraform's own error text.
 */
export function notReadyCause(message: string): { next: string } | undefined {
  // The s3 backend's answer before `envc bootstrap` made the bucket ("Failed to get existing workspaces:
  // S3 bucket "…" does not exist."); preflight saw the endpoint answer, so only the bucket is missing.
  const bucket = /S3 bucket "([^"]+)" does not exist/.exec(message)?.[1];
  if (bucket)
    return {
      next: `the state bucket ${bucket} does not exist yet: run \`npx envc bootstrap\` first (it creates every state bucket and its key), then run this again`,
    };
  return undefined;
}

const failedNotReady = (o: Outcome<unknown>) =>
  o.status === 'failed' && notReadyCause(o.message) !== undefined;

/** Internal > not ready > refusal > awaiting approval > changes > ok. */
export function exitCodeOf(
  outcomes: ReadonlyArray<Outcome<unknown>>,
  changes: (o: Outcome<unknown>) => boolean = () => false,
): number {
  const failures = outcomes.filter((o) => o.status === 'failed');
  if (failures.length && failures.every(failedNotReady)) return ExitCode.NotReady;
  if (failures.length) return ExitCode.Internal;
  if (outcomes.some((o) => o.status === 'refused' && STALE_PLAN_CODES.has(o.code))) return ExitCode.StalePlan;
  if (outcomes.some((o) => o.status === 'refused')) return ExitCode.Findings;
  if (outcomes.some((o) => o.status === 'awaiting-approval')) return ExitCode.AwaitingApproval;
  if (outcomes.some(changes)) return ExitCode.Changes;
  return ExitCode.Ok;
}

/** Non-ok outcomes as stderr lines, each with the next step. */
export function problemsText(outcomes: ReadonlyArray<Outcome<unknown>>, s: Style): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'refused') {
      lines.push(`${s.red('refused')} ${o.env}: ${o.message} [${o.code}]`);
      if (o.next) lines.push(`  next: ${o.next}`);
    } else if (o.status === 'awaiting-approval') {
      lines.push(`${s.yellow('awaiting approval')} ${o.env}: ${o.message}`);
      for (const r of o.reasons) lines.push(`  - ${r}`);
      lines.push(`  approve with: ${o.approveCommand}`);
      lines.push(`  then run again: envc apply --env ${o.env}   (or wait: --wait 30m)`);
    } else if (o.status === 'failed') {
      lines.push(`${s.red('failed')} ${o.env}: ${o.message}`);
      const cause = notReadyCause(o.message);
      if (cause) lines.push(`  next: ${cause.next}`);
    }
  }
  // Terraform's own error, summarized above and not one envc knows: say once where the whole output is.
  if (
    outcomes.some(
      (o) =>
        o.status === 'failed' && !failedNotReady(o) && /^(\w+ root: )?terraform \w+ exited/.test(o.message),
    )
  )
    lines.push("next: rerun with --verbose for terraform's full output");
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const sign: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '±', forget: '·' };

export function summaryText(
  env: string,
  digest: string,
  summary: PlanSummary,
  s: Style,
  label = 'planned',
): string {
  const head = `${s.bold(env)}  ${label} ${s.cyan(digest.slice(0, 12))}  ${summary.hasChanges ? countsText(summary.counts) : s.dim('no changes')}`;
  const lines = [head];
  for (const r of summary.resources) {
    const line = `  ${sign[r.action] ?? '?'} ${r.address}`;
    lines.push(
      r.action === 'delete' || r.action === 'replace'
        ? s.red(r.protected ? `${line}  (PROTECTED)` : line)
        : r.action === 'create'
          ? s.green(line)
          : s.yellow(line),
    );
  }
  for (const o of summary.outputs) lines.push(s.dim(`  ${sign[o.action] ?? '?'} output.${o.name}`));
  if (summary.protectedDestroys.length)
    lines.push(s.red(`  ! destroys protected resources: ${summary.protectedDestroys.join(', ')}`));
  return `${lines.join('\n')}\n`;
}

/** JSON view of an outcome: status, and for ok outcomes the value. */
export function outcomeJson(o: Outcome<unknown>): Record<string, unknown> {
  switch (o.status) {
    case 'ok':
      return { env: o.env, status: 'ok', ...(o.value as object) };
    case 'refused':
      return {
        env: o.env,
        status: 'refused',
        code: o.code,
        message: o.message,
        ...(o.next ? { next: o.next } : {}),
      };
    case 'awaiting-approval':
      return {
        env: o.env,
        status: 'awaiting-approval',
        digest: o.digest,
        message: o.message,
        approveCommand: o.approveCommand,
        reasons: o.reasons,
      };
    case 'failed':
      return { env: o.env, status: 'failed', message: o.message };
  }
}

export function jsonResult(exitCode: number, data: unknown, stderr = ''): CommandResult {
  return { exitCode, stdout: `${JSON.stringify(data, null, 2)}\n`, ...(stderr ? { stderr } : {}) };
}

/** What a command on one environment prints: the outcome as JSON, or `okText` of its value; problems on stderr. */
export function oneOutcomeResult<T>(
  o: Outcome<T>,
  json: boolean,
  errStyle: Style,
  okText: (value: T) => string,
): CommandResult {
  const exitCode = exitCodeOf([o]);
  if (json) return jsonResult(exitCode, outcomeJson(o), problemsText([o], errStyle));
  return { exitCode, stdout: o.status === 'ok' ? okText(o.value) : '', stderr: problemsText([o], errStyle) };
}
