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
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new prom.Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new prom.Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new prom.Histogram<L>({ name, help, labelNames, buckets, registers });
  const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5];
  return {
    registry,
    commands: counter('envc_bot_commands_total', '/infra sub-commands handled', ['command', 'outcome']),
    interactions: counter('envc_bot_interactions_total', 'button clicks and modal submissions handled', [
      'action',
      'outcome',
    ]),
    approvals: counter('envc_bot_approvals_total', 'approval decisions', ['env', 'decision']),
    ackLatency: histogram(
      'envc_bot_ack_latency_seconds',
      'time from request receipt to ack',
      ['kind'],
      latencyBuckets,
    ),
    handlerDuration: histogram(
      'envc_bot_handler_duration_seconds',
      'listener work after the ack',
      ['kind', 'name'],
      [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    ),
    driftIncidents: counter('envc_bot_drift_incidents_total', 'drift incident events', ['env', 'event']),
    driftOpen: gauge('envc_bot_drift_incidents_open', 'open drift incidents', ['env']),
    schedulerRuns: counter('envc_bot_scheduler_runs_total', 'scheduled job runs', ['job', 'outcome']),
    duplicatesIgnored: counter(
      'envc_bot_duplicates_ignored_total',
      'Slack retries and repeated requests ignored',
      ['kind'],
    ),
    rateLimited: counter(
      'envc_bot_slack_rate_limited_total',
      'Web API calls answered 429 (retried after Retry-After)',
      ['method'],
    ),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
