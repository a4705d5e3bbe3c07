import type { CommandSpec } from '../command.js';
import { stackOptions, waitOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'destroy',
  summary: 'destroy an environment (production: only when the spec and an approval allow it)',
  usage: 'envc destroy --env E [--yes] [--wait 30m] [--json]',
  description: `Plans a destroy and applies it through the approval gate. A production environment is refused unless
its spec sets approvals.allowDestroy: true, and then still needs an approval of the destroy plan's digest; so does
every environment whose spec requires approvals. On a terminal it asks for the environment's name; anywhere
else it needs --yes (without it: refused, exit 1).`,
  options: {
    env: { type: 'string', short: 'e', multiple: true, valueName: 'name', description: 'the environment' },
    yes: { type: 'boolean', description: 'confirm the destroy without a question (scripts, CI)' },
    ...waitOptions,
    ...stackOptions,
  },
  async run(ctx) {
    const { runDestroy } = await import('./runner/run-destroy.js');
    return runDestroy(ctx);
  },
};
