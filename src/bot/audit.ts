import type { Store } from '../store/types.js';
import { scrub } from './deps.js';
import type { Log } from './log.js';

/**
 * One audit line per decision: into the store's audit log (what `envc` and the status command read) and as
 * a structured log line (`"audit": true`) that Loki can select on. Actions are dotted verbs:
 * `bot.command`, `approval.add`, `approval.refuse`, `approval.deny`, `approval.expire`, `apply`,
 * `apply.fail`, `argo.sync`, `drift.open`, `drift.resolve`, `drift.ack`, `drift.snooze`.
 */
export interface Decision {
  actor: string;
  env?: string;
  action: string;
  details?: Record<string, unknown>;
}

export type Auditor = (d: Decision) => Promise<void>;

export function createAuditor(
  store: Store,
  log: Log,
  now: () => Date,
  redact?: (text: string) => string,
): Auditor {
  return async (raw) => {
    // Error texts in details (runner output) may carry secrets; the store keeps them for years.
    const d = scrub({ redact }, raw);
    log.info(d.action, { audit: true, actor: d.actor, env: d.env, action: d.action, ...(d.details ?? {}) });
    try {
      await store.audit({
        actor: d.actor,
        env: d.env,
        action: d.action,
        details: d.details ?? {},
        at: now(),
      });
    } catch (err) {
      // The log line above is the second copy; losing the store row must not hide the decision.
      log.error('audit entry could not be stored', { action: d.action, error: err });
    }
  };
}

/**
 * The latest apply of an environment: the bot records `apply`, the runner's audit notifier `event.applied`
 * (CLI and CI applies), so both count.
 */
export async function lastApply(store: Store, env: string, since?: Date) {
  const [bot, runner] = await Promise.all([
    store.listAudit({ env, action: 'apply', limit: 1, ...(since ? { since } : {}) }),
    store.listAudit({ env, action: 'event.applied', limit: 1, ...(since ? { since } : {}) }),
  ]);
  return [...bot, ...runner].sort((a, b) => b.at.getTime() - a.at.getTime())[0];
}
