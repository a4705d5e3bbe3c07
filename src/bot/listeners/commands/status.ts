import { lastApply } from '../../audit.js';
import { type EnvStatus, statusMessage } from '../../blocks/status.js';
import type { BotDeps } from '../../deps.js';
import { environments } from '../../deps.js';
import { defineSubCommand } from '../types.js';
import { envArg, noMoreArgs } from './args.js';

/** One environment's status: last apply, pending approvals, open drift incident, lock holder. */
export async function envStatus(deps: BotDeps, env: string): Promise<EnvStatus> {
  const now = deps.now();
  const [a, pending, incident, lock] = await Promise.all([
    lastApply(deps.store, env),
    deps.store.listApprovalRequests({ env, status: 'pending' }),
    deps.store.getOpenIncident(env),
    deps.store.getLock(env),
  ]);
  return {
    env,
    tier: deps.model.environments.find((e) => e.name === env)?.tier ?? '?',
    lastApply: a
      ? {
          at: a.at,
          actor: a.actor,
          digest: typeof a.details.digest === 'string' ? a.details.digest : undefined,
        }
      : undefined,
    pendingApprovals: pending
      .filter((p) => p.expiresAt > now)
      .map((p) => ({ digest: p.digest, requester: p.requester, expiresAt: p.expiresAt })),
    incident: incident
      ? {
          openedAt: incident.openedAt,
          occurrences: incident.occurrences,
          ackedBy: incident.ackedBy,
          snoozedUntil: incident.snoozedUntil,
        }
      : undefined,
    lock: lock && lock.expiresAt > now ? { holder: lock.holder, since: lock.since } : undefined,
  };
}

export default defineSubCommand<string | undefined>({
  name: 'status',
  usage: 'status [env]',
  summary: 'last apply, pending approvals, open drift incident and lock holder of each environment',
  parse: (input, deps) => {
    const more = noMoreArgs(input.args, 1);
    if (!more.ok) return more;
    if (input.args[0] === undefined) return { ok: true, value: undefined };
    return envArg(deps, input.args[0]);
  },
  ackWith: () => undefined,
  run: async ({ deps, value, respond }) => {
    const envs = value ? [value] : environments(deps.model);
    const statuses = await Promise.all(envs.map((e) => envStatus(deps, e)));
    await respond(statusMessage(statuses, deps.now()));
  },
});
