/**
 * How the runner brings a platform up from an empty account, as the bring-up model walks it. The runner
 * (src/runner) follows the same order: `system` first, each environment's roots in the order their remote
 * state reads require, then ArgoCD's sync of the environment, then the first rotation of its secrets.
 */

export interface RunnerProcedure {
  /**
   * The runner creates the state bucket itself before any root initialises its s3 backend (local state
   * first, then migrated into the bucket it just made). When false, a root whose backend is the bucket
   * that root creates can never initialise.
   */
  bootstrapsStateBucket: boolean;
}

export const RUNNER_PROCEDURE: RunnerProcedure = {
  // `envc bootstrap` (src/runner/bootstrap.ts, ADR 0008) applies terraform/bootstrap with local state first.
  bootstrapsStateBucket: true,
};

/** `system` (ArgoCD, the bot, observability) first, then by name — the runner's environment order. */
export function orderEnvironments(envs: readonly string[]): string[] {
  return [...envs].sort((a, b) => (a === 'system' ? -1 : b === 'system' ? 1 : a.localeCompare(b)));
}
