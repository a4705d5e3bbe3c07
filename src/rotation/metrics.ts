/**
 * Secret freshness for Prometheus, read from the store on every scrape (any replica answers the same):
 *
 *   envc_secret_age_seconds{environment, secret}                      since the last successful rotation
 *   envc_secret_rotation_due_timestamp_seconds{environment, secret}   when the next one is due (0: never rotated)
 *
 * The names are the ones the generated PrometheusRules and dashboards use (BOT_METRICS). A secret envc never
 * rotated has no age sample (the "freshness unknown" alert) and a due time of 0 (the "due" alert).
 */
import { BOT_METRICS } from '../compiler/emitters/kubernetes/monitoring-metrics.js';
import type { Model } from '../compiler/model.js';
import type { Store } from '../store/types.js';
import { freshness, secretTargets } from './schedule.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export const FRESHNESS_HELP: Record<string, string> = {
  [BOT_METRICS.secretAge]: 'Seconds since the secret was last rotated successfully',
  [BOT_METRICS.secretDue]: 'Unix time when the secret is due for rotation (0 when envc never rotated it)',
};

export async function secretFreshnessSamples(
  store: Store,
  model: Model,
  now: Date = new Date(),
): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const t of secretTargets(model)) {
    const last = await store.lastRotation(t.env, t.secret, 'succeeded');
    const f = freshness(t, last, now);
    const labels = { environment: t.env, secret: t.secret };
    if (f.ageSeconds !== undefined)
      out.push({ name: BOT_METRICS.secretAge, labels, value: Math.round(f.ageSeconds) });
    out.push({ name: BOT_METRICS.secretDue, labels, value: Math.floor(f.nextDue.getTime() / 1000) });
  }
  return out;
}

/** The samples in the Prometheus text exposition format (for a /metrics handler without prom-client). */
export function renderSamples(samples: Sample[], help: Record<string, string>): string {
  const lines: string[] = [];
  for (const name of [...new Set(samples.map((s) => s.name))]) {
    lines.push(`# HELP ${name} ${help[name] ?? name}`, `# TYPE ${name} gauge`);
    for (const s of samples.filter((x) => x.name === name)) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      lines.push(`${name}{${labels}} ${s.value}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export async function secretFreshnessMetrics(
  store: Store,
  model: Model,
  now: Date = new Date(),
): Promise<string> {
  return renderSamples(await secretFreshnessSamples(store, model, now), FRESHNESS_HELP);
}

/** prom-client as the bot imports it (a type-only reference: this module does not load prom-client). */
export type PromLike = Pick<typeof import('prom-client'), 'Gauge'>;

/**
 * Registers gauges on the bot's prom-client registry that read the store at scrape time. The bot calls
 * this once per set of gauges, through `registerStoreGauges` (see bot-metrics.ts).
 */
function registerSampleGauges(
  prom: PromLike,
  registry: import('prom-client').Registry,
  read: () => Promise<Sample[]>,
  help: Record<string, string>,
  labelNames: Record<string, string[]>,
): void {
  let inflight: Promise<Sample[]> | undefined;
  // One store read per scrape even though every gauge collects separately.
  const samples = () => {
    inflight ??= read().finally(() =>
      setTimeout(() => {
        inflight = undefined;
      }, 0),
    );
    return inflight;
  };
  for (const name of Object.keys(help)) {
    new prom.Gauge({
      name,
      help: help[name] as string,
      labelNames: labelNames[name] ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of (await samples()).filter((x) => x.name === name)) this.set(s.labels, s.value);
      },
    });
  }
}

/** Gauges read from the store at scrape time: their help texts and label names, and how to read them. */
export interface StoreGauges {
  help: Record<string, string>;
  labelNames: Record<string, string[]>;
  read(store: Store, model: Model, now: Date): Promise<Sample[]>;
}

export const FRESHNESS_GAUGES: StoreGauges = {
  help: FRESHNESS_HELP,
  labelNames: {
    [BOT_METRICS.secretAge]: ['environment', 'secret'],
    [BOT_METRICS.secretDue]: ['environment', 'secret'],
  },
  read: secretFreshnessSamples,
};

export function registerStoreGauges(
  prom: PromLike,
  registry: import('prom-client').Registry,
  gauges: StoreGauges,
  opts: { store: Store; model: Model; now?: () => Date },
): void {
  registerSampleGauges(
    prom,
    registry,
    () => gauges.read(opts.store, opts.model, opts.now?.() ?? new Date()),
    gauges.help,
    gauges.labelNames,
  );
}
