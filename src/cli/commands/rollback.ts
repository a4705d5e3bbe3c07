import type { CommandSpec } from '../command.js';
import { stackOptions, waitOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'rollback',
  summary: 'plan and apply an environment as it was at a git ref (same approval gate)',
  usage: 'envc rollback --env E --to <git-ref> [--plan-only] [--wait 30m] [--as U123] [--json]',
  description: `Compiles environments.yaml as it was at the ref into a temporary tree (with --stacks: takes the stack
directory as committed at the ref), plans it against the current state, shows the summary and applies it
through the same approval gate as any plan. If it waits for approval, approve the printed digest and run
\`envc apply --env E\`.`,
  options: {
    env: { type: 'string', short: 'e', multiple: true, valueName: 'name', description: 'the environment' },
    to: { type: 'string', valueName: 'git-ref', description: 'branch, tag or commit to roll back to' },
    'plan-only': { type: 'boolean', description: 'record the rollback plan without applying it' },
    ...waitOptions,
    ...stackOptions,
  },
  async run(ctx) {
    const { runRollback } = await import('./runner/run-rollback.js');
    return runRollback(ctx);
  },
};
