/**
 * One call for the bot's /metrics: secret freshness (age, due time) and active JIT grants, read from the
 * store at scrape time. prom-client is loaded here, lazily, like the bot's own metrics.
 */
import { registerAccessMetrics } from '../access/metrics.js';
import type { Model } from '../compiler/model.js';
import type { Store } from '../store/types.js';
import { registerSecretFreshnessMetrics } from './metrics.js';

export async function registerStateMetrics(
  registry: import('prom-client').Registry,
  opts: { store: Store; model: Model; now?: () => Date },
): Promise<void> {
  const prom = await import('prom-client');
  registerSecretFreshnessMetrics(prom, registry, opts);
  registerAccessMetrics(prom, registry, opts);
}
