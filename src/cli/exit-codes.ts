/**
 * One exit-code table for every envc command. Mirrors terraform's `-detailed-exitcode` for 2 so CI scripts
 * can treat envc and terraform alike. Documented in docs/cli.md (generated from this table by a test).
 */
export const ExitCode = {
  /** Success, nothing to report. */
  Ok: 0,
  /** Findings (diagnostics with severity error), a stale generated/ tree, or a refusal (lock held, approval denied). */
  Findings: 1,
  /** Changes or drift found (plan has changes, drift detected, diff not empty). */
  Changes: 2,
  /** Internal error: a bug or an outage (terraform crashed, store unreachable). */
  Internal: 3,
  /** Awaiting approval: an apply is gated and no valid approval exists yet. */
  AwaitingApproval: 4,
  /** Environment not ready: credentials, terraform, providers or the state bucket missing (preflight). */
  NotReady: 5,
  /**
   * Stale plan: apply refused because the plan is not the latest, matching intent (a newer plan attempt
   * failed, the spec, compiled tree or stack changed, another stack directory, the git revision moved).
   */
  StalePlan: 6,
  /** Usage error: unknown command, unknown flag, bad argument. */
  Usage: 64,
  /** Interrupted by SIGINT (128 + 2). */
  Interrupted: 130,
  /** Terminated by SIGTERM (128 + 15). */
  Terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeTable: ReadonlyArray<{ code: number; name: string; meaning: string }> = [
  { code: 0, name: 'ok', meaning: 'success, nothing to report' },
  {
    code: 1,
    name: 'findings',
    meaning: 'errors in the spec, a stale generated/ tree, or a refusal (lock held, approval denied)',
  },
  { code: 2, name: 'changes', meaning: 'changes or drift found (as terraform -detailed-exitcode)' },
  { code: 3, name: 'internal', meaning: 'internal error: a bug or an outage; the message says which' },
  { code: 4, name: 'awaiting-approval', meaning: 'an apply is gated and waits for an approval' },
  {
    code: 5,
    name: 'not-ready',
    meaning:
      'environment not ready: credentials, terraform, providers or the state bucket (preflight says which)',
  },
  {
    code: 6,
    name: 'stale-plan',
    meaning:
      'apply refused: a newer plan attempt failed, or the spec, compiled tree, stack directory or git revision changed since the plan; plan again',
  },
  { code: 64, name: 'usage', meaning: 'unknown command or flag, or a malformed argument' },
  {
    code: 130,
    name: 'interrupted',
    meaning: 'stopped by SIGINT (Ctrl-C): running work finished or rolled back',
  },
  { code: 143, name: 'terminated', meaning: 'stopped by SIGTERM: running work finished or rolled back' },
];
