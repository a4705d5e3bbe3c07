import type { BootstrapOutcome } from '../../runner/bootstrap.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';

export const command: CommandSpec = {
  name: 'bootstrap',
  summary: 'create the Terraform state bucket on a fresh account (local state, then migrated into it)',
  usage: 'envc bootstrap [--yes] [--generated DIR] [--json]',
  description: `The first command on a new Linode account (LINODE_TOKEN set): applies generated/terraform/bootstrap
(the state bucket and one scoped key per holder) with local state, then migrates that state into the bucket it
created (terraform init -migrate-state). Idempotent: once the state is in the bucket it only plans, and applies
a changed configuration with --yes. Works in a copy under .envc/bootstrap; generated/ is never written.
Without --yes nothing is created: it says what would be and exits 1 (next: envc bootstrap --yes).
Then: envc plan --env system, envc apply --env system (see README "From zero").`,
  options: {
    yes: { type: 'boolean', short: 'y', description: 'create or change the state bucket and its keys' },
    generated: {
      type: 'string',
      valueName: 'dir',
      description: 'the compiled tree (default: ./generated)',
      default: 'generated',
    },
    json: { type: 'boolean', description: 'print the outcome as JSON' },
  },
  async run(ctx) {
    const { resolve } = await import('node:path');
    const { bootstrap } = await import('../../runner/bootstrap.js');
    const { createTerraform } = await import('../../runner/terraform.js');
    const outcome = await bootstrap({
      terraform: createTerraform({ env: ctx.env }),
      generatedDir: resolve(ctx.cwd, String(ctx.flags.generated ?? 'generated')),
      workDir: resolve(ctx.cwd, ctx.env.ENVC_WORKDIR ?? '.envc'),
      progress: (l) => ctx.progress(l),
      apply: ctx.flags.yes === true,
      signal: ctx.signal,
    });
    const exitCode =
      outcome.status === 'failed'
        ? ExitCode.Internal
        : outcome.status === 'needs-confirmation'
          ? ExitCode.Findings
          : ExitCode.Ok;
    if (ctx.flags.json) return { exitCode, stdout: `${JSON.stringify(outcome, null, 2)}\n` };
    const text = describe(outcome);
    return exitCode === ExitCode.Ok ? { exitCode, stdout: text } : { exitCode, stderr: text };
  },
};

function describe(o: BootstrapOutcome): string {
  switch (o.status) {
    case 'up-to-date':
      return 'the state bucket exists and its state is in it: nothing to do\n';
    case 'bootstrapped':
      return 'created the state bucket and its keys, and migrated the bootstrap state into it\nnext: envc plan --env system\n';
    case 'applied':
      return 'applied the changed state-bucket configuration\n';
    case 'needs-confirmation':
      return `${o.message}\nnext: envc bootstrap --yes\n`;
    case 'failed':
      return `bootstrap stopped at ${o.step}: ${o.message}\nnext: fix the cause and run envc bootstrap again (it resumes)\n`;
  }
}
