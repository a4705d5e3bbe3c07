import { createHash } from 'node:crypto';
import type { BotDeps } from './deps.js';

/**
 * Slack redelivers a request it thinks was lost (X-Slack-Retry-Num over HTTP, retry_attempt in Socket
 * Mode) and people double-click. Each delivery carries an id that a retry repeats: trigger_id for slash
 * commands and interactions, event_id for events. The first delivery claims it in the store (shared by
 * all replicas); later ones are acked and dropped. Double clicks are two different deliveries: the
 * approval rules (one approval per approver) and the per-action checks make those idempotent.
 */
export function deliveryKey(body: Record<string, unknown>): string {
  const id = body.trigger_id ?? body.event_id;
  if (typeof id === 'string' && id !== '') return `slack:${id}`;
  return `slack:body:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

// biome-ignore lint/suspicious/noExplicitAny: Bolt's middleware args differ per event type.
export function idempotencyMiddleware(deps: BotDeps): (args: any) => Promise<void> {
  return async ({ body, ack, next, context }) => {
    const key = deliveryKey(body as Record<string, unknown>);
    let first = true;
    try {
      first = await deps.store.rememberSlackRequest(key);
    } catch (err) {
      // Without the store we cannot tell; handling twice is safer than dropping a command.
      deps.log.warn('idempotency check unavailable', { error: err });
    }
    if (!first) {
      deps.metrics.duplicatesIgnored.inc({ kind: context?.retryNum ? 'retry' : 'repeat' });
      deps.log.info('duplicate delivery ignored', {
        key,
        retryNum: context?.retryNum,
        retryReason: context?.retryReason,
      });
      if (typeof ack === 'function') await ack();
      return;
    }
    await next();
  };
}
