import type { CommandSpec } from '../command.js';
import { envOptions, parallelOption, stackOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'drift',
  summary: 'find drift: infrastructure changed outside terraform, code not applied, generated/ stale',
  usage: 'envc drift (--env E | --all) [--stacks DIR] [--json]',
  description: `Per environment: terraform plan -refresh-only (infrastructure changed outside Terraform), a normal plan
(generated code not yet applied) and compile --check (the spec vs generated/; skipped with --stacks unless
--generated is given). Drift opens an incident; repeated runs update the same incident (by fingerprint), and
a clean run resolves it.

Exit codes: 0 no drift, 2 drift found, 3 terraform or the store failed.`,
  options: { ...envOptions, ...stackOptions, ...parallelOption },
  async run(ctx) {
    const { runDrift } = await import('./runner/run-drift.js');
    return runDrift(ctx);
  },
};
