import { actorOf } from '../../../runner/identity.js';
import { describeLock } from '../../../runner/locks.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { UsageError } from '../../main.js';
import { envNames, onlyEnv } from './options.js';
import { jsonResult } from './render.js';

/** Locks need only the store: no spec, no terraform. */
export async function runLock(ctx: CommandContext): Promise<CommandResult> {
  const sub = ctx.args[0] ?? 'status';
  if (sub !== 'status' && sub !== 'release') throw new UsageError(`envc lock status|release (not "${sub}")`);
  if (sub === 'release' && ctx.flags.force !== true)
    throw new UsageError('releasing a lock you do not hold needs --force (the holder may still be applying)');
  const { openStore } = await import('../../../store/index.js');
  const store = await openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd });
  try {
    if (sub === 'status') {
      const envs = envNames(ctx);
      const locks = (await store.listLocks()).filter((l) => envs.length === 0 || envs.includes(l.env));
      const now = new Date();
      if (ctx.flags.json)
        return jsonResult(ExitCode.Ok, { locks: locks.map((l) => ({ ...l, expired: l.expiresAt <= now })) });
      if (locks.length === 0) return { exitCode: ExitCode.Ok, stdout: 'no environment is locked\n' };
      return {
        exitCode: ExitCode.Ok,
        stdout: `${locks.map((l) => `${l.env}: ${describeLock(l, now)}${l.expiresAt <= now ? ' — expired, the next apply takes it over' : ''}`).join('\n')}\n`,
      };
    }
    const env = onlyEnv(ctx);
    const removed = await store.forceRelease(env);
    const actor = actorOf(ctx.flags.as, ctx.env);
    await store.audit({
      actor,
      env,
      action: 'lock.force-release',
      details: removed ? { holder: removed.holder, since: removed.since.toISOString() } : { holder: null },
    });
    if (!removed) return { exitCode: ExitCode.Ok, stdout: `${env} was not locked\n` };
    return {
      exitCode: ExitCode.Ok,
      stdout: `released the lock of ${env} held by ${removed.holder} since ${removed.since.toISOString()}\n`,
    };
  } finally {
    await store.close();
  }
}
