import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The bot's Prometheus metrics (served at /metrics in the text exposition format). prom-client is imported
 * lazily by `createMetrics`, so nothing outside the bot pays for it. Each bot gets its own registry (tests
 * run several bots in one process).
 */
export interface Metrics {
  readonly registry: Registry;
  /** /infra sub-commands handled, by outcome (ok | refused | usage | error). */
  commands: Counter<'command' | 'outcome'>;
  /** Interactions (buttons, modals) handled. */
  interactions: Counter<'action' | 'outcome'>;
  /** Approval decisions: approved, refused, denied, expired, applied, apply_failed. */
  approvals: Counter<'env' | 'decision'>;
  /** Seconds from receiving a request to acknowledging it (Slack's limit: 3 s). */
  ackLatency: Histogram<'kind'>;
  /** Seconds a listener's work took after the ack. */
  handlerDuration: Histogram<'kind' | 'name'>;
  /** Drift incident events: opened, updated, changed, resolved. */
  driftIncidents: Counter<'env' | 'event'>;
  /** Open drift incidents per environment, as last seen by this replica. */
  driftOpen: Gauge<'env'>;
  /** Scheduled job runs: ok, failed, skipped (another replica ran the tick). */
  schedulerRuns: Counter<'job' | 'outcome'>;
  /** Slack redeliveries and repeated clicks ignored by the idempotency check. */
  duplicatesIgnored: Counter<'kind'>;
  /** Web API calls that hit a rate limit (retried by the client). */
  rateLimited: Counter<'method'>;
  /** Text exposition of every metric. */
  text(): Promise<string>;
  contentType: string;
}

export async function createMetrics(opts: { defaultMetrics?: boolean } = {}): Promise<Metrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  if (opts.defaultMetrics !== false) prom.collectDefaultMetrics({ register: registry, prefix: 'envc_bot_' });
  const registers = [registry];
  const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5];
  return {
    registry,
    commands: new prom.Counter({
      name: 'envc_bot_commands_total',
      help: '/infra sub-commands handled',
      labelNames: ['command', 'outcome'],
      registers,
    }),
    interactions: new prom.Counter({
      name: 'envc_bot_interactions_total',
      help: 'button clicks and modal submissions handled',
      labelNames: ['action', 'outcome'],
      registers,
    }),
    approvals: new prom.Counter({
      name: 'envc_bot_approvals_total',
      help: 'approval decisions',
      labelNames: ['env', 'decision'],
      registers,
    }),
    ackLatency: new prom.Histogram({
      name: 'envc_bot_ack_latency_seconds',
      help: 'time from request receipt to ack',
      labelNames: ['kind'],
      buckets: latencyBuckets,
      registers,
    }),
    handlerDuration: new prom.Histogram({
      name: 'envc_bot_handler_duration_seconds',
      help: 'listener work after the ack',
      labelNames: ['kind', 'name'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers,
    }),
    driftIncidents: new prom.Counter({
      name: 'envc_bot_drift_incidents_total',
      help: 'drift incident events',
      labelNames: ['env', 'event'],
      registers,
    }),
    driftOpen: new prom.Gauge({
      name: 'envc_bot_drift_incidents_open',
      help: 'open drift incidents',
      labelNames: ['env'],
      registers,
    }),
    schedulerRuns: new prom.Counter({
      name: 'envc_bot_scheduler_runs_total',
      help: 'scheduled job runs',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    duplicatesIgnored: new prom.Counter({
      name: 'envc_bot_duplicates_ignored_total',
      help: 'Slack retries and repeated requests ignored',
      labelNames: ['kind'],
      registers,
    }),
    rateLimited: new prom.Counter({
      name: 'envc_bot_slack_rate_limited_total',
      help: 'Web API calls answered 429 (retried after Retry-After)',
      labelNames: ['method'],
      registers,
    }),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
