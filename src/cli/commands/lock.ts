import type { CommandSpec } from '../command.js';

export const command: CommandSpec = {
  name: 'lock',
  summary: 'show environment locks; force-release one whose holder is gone',
  usage: 'envc lock [status] [--env E] [--json] | release --env E --force',
  description: `Each apply holds its environment's lock in the store and renews it by heartbeat (ENVC_LOCK_TTL seconds,
default 120). A lock whose holder died expires by itself; \`release --force\` frees it at once and is audited.`,
  maxPositionals: 1,
  options: {
    env: { type: 'string', short: 'e', multiple: true, valueName: 'name', description: 'the environment' },
    force: { type: 'boolean', description: 'release: required, because the holder may still be running' },
    json: { type: 'boolean', description: 'print locks as JSON' },
    as: { type: 'string', valueName: 'user', description: 'who is acting (recorded in the audit log)' },
  },
  async run(ctx) {
    const { runLock } = await import('./runner/run-lock.js');
    return runLock(ctx);
  },
};
