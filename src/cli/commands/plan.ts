import type { CommandSpec } from '../command.js';
import { envOptions, parallelOption, stackOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'plan',
  summary: 'plan environments in parallel: summary and plan digest per environment',
  usage: 'envc plan (--env E | --all) [--stacks DIR] [--json] [--parallel N]',
  description: `Runs terraform init, plan -out and show -json for each environment (in parallel, system first), and
records the saved plan with its digest: a sha256 over the normalized planned changes and the environment's
generated Kubernetes and Helm files. An approval names that digest; \`envc apply\` applies exactly that plan.
Each plan also records the git commit it was made from (ENVC_GIT_COMMIT, else GITHUB_SHA, else HEAD of the
spec's repository): after an approved apply, ArgoCD is synced to exactly that revision.

Exit codes: 0 no changes, 2 changes planned, 1 refused, 3 terraform or the store failed.

Examples:
  envc plan --all
  envc plan --env production --json | jq -r '.environments[0].digest'
  envc plan --env development --stacks test/fixtures/stacks`,
  options: { ...envOptions, ...stackOptions, ...parallelOption },
  async run(ctx) {
    const { runPlan } = await import('./runner/run-plan.js');
    return runPlan(ctx);
  },
};
