/**
 * One call for the bot's /metrics: secret freshness (age, due time) and active JIT grants, read from the
 * store at scrape time. prom-client is loaded here, lazily, like the bot's own metrics.
 */
import { GRANT_GAUGES } from '../access/metrics.js';
import type { Model } from '../compiler/model.js';
import type { Store } from '../store/types.js';
import { FRESHNESS_GAUGES, registerStoreGauges } from './metrics.js';

export async function registerStateMetrics(
  registry: import('prom-client').Registry,
  opts: { store: Store; model: Model; now?: () => Date },
): Promise<void> {
  const prom = await import('prom-client');
  for (const gauges of [FRESHNESS_GAUGES, GRANT_GAUGES]) registerStoreGauges(prom, registry, gauges, opts);
}
