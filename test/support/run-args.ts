/**
 * Argument lists for `envc` in a runner workspace (`workspace()` in src/runner/test-harness.ts), whose
 * terraform roots are under `stacks/`.
 */

/** `envc <command> --env <env> --stacks stacks …more`, e.g. `onStack('apply', 'production', '--as', 'UREQ')`. */
export function onStack(command: string, env: string, ...more: string[]): string[] {
  return [...command.split(' '), '--env', env, '--stacks', 'stacks', ...more];
}

/**
 * `envc approvals approve` of one plan of `env`. Who approves is not an argument: it is the verified CI
 * identity in the environment (`ciAs` in test/support/oidc-issuer.ts).
 */
export function approveArgs(env: string, digest: string): string[] {
  return onStack('approvals approve', env, '--digest', digest);
}
