import { createHash } from 'node:crypto';
import type { BotDeps } from './deps.js';

/**
 * Slack redelivers a request it thinks was lost (X-Slack-Retry-Num over HTTP, retry_attempt in Socket
 * Mode), and a signed request can be replayed within the 5-minute window. Each delivery carries an id that
 * a redelivery repeats: trigger_id for slash commands and interactions, event_id for events. After the ack
 * (acking twice is harmless; doing the work twice is not), the first delivery claims the id in the store,
 * shared by all replicas; later ones stop there. Keeping the claim off the ack path keeps acks fast.
 * Double clicks are two different deliveries: the approval rules (one approval per approver) and the
 * per-action checks make those idempotent.
 */
export function deliveryKey(body: Record<string, unknown>): string {
  const id = body.trigger_id ?? body.event_id;
  if (typeof id === 'string' && id !== '') return `slack:${id}`;
  return `slack:body:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

/** True for the first delivery of this request across all replicas. */
export async function firstDelivery(
  deps: BotDeps,
  body: unknown,
  context: { retryNum?: number; retryReason?: string } | undefined,
): Promise<boolean> {
  const key = deliveryKey(body as Record<string, unknown>);
  try {
    if (await deps.store.rememberSlackRequest(key)) return true;
  } catch (err) {
    // Without the store we cannot tell; doing the work twice is safer than dropping a command.
    deps.log.warn('idempotency check unavailable', { error: err });
    return true;
  }
  deps.metrics.duplicatesIgnored.inc({ kind: context?.retryNum ? 'retry' : 'repeat' });
  deps.log.info('duplicate delivery ignored', {
    key,
    retryNum: context?.retryNum,
    retryReason: context?.retryReason,
  });
  return false;
}
