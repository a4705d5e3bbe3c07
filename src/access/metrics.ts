/**
 * `envc_access_grants_active{environment, policy, break_glass}`: grants active right now, read from the store
 * on every scrape. The generated alerts (break-glass active, grants outside office hours) use this name.
 */
import { BOT_METRICS } from '../compiler/emitters/kubernetes/monitoring-metrics.js';
import type { Model } from '../compiler/model.js';
import type { Sample, StoreGauges } from '../rotation/metrics.js';
import type { Store } from '../store/types.js';
import { detailsOf } from './service.js';

export const GRANTS_HELP = { [BOT_METRICS.grantsActive]: 'Just-in-time access grants active now' };

export async function accessGrantSamples(
  store: Store,
  model: Model,
  now: Date = new Date(),
): Promise<Sample[]> {
  const counts = new Map<string, Sample>();
  // Every (environment, policy) pair is reported, 0 included, so "no grant" is a value rather than absence.
  for (const p of model.accessPolicies) {
    for (const env of p.environments) {
      const labels = { environment: env, policy: p.name, break_glass: String(p.breakGlass) };
      counts.set(JSON.stringify(labels), { name: BOT_METRICS.grantsActive, labels, value: 0 });
    }
  }
  for (const g of await store.listGrants({ active: true, now })) {
    const labels = {
      environment: g.env,
      policy: g.policy,
      break_glass: String(detailsOf(g).breakGlass === true),
    };
    const key = JSON.stringify(labels);
    const s = counts.get(key) ?? { name: BOT_METRICS.grantsActive, labels, value: 0 };
    s.value++;
    counts.set(key, s);
  }
  return [...counts.values()];
}

export const GRANT_GAUGES: StoreGauges = {
  help: GRANTS_HELP,
  labelNames: { [BOT_METRICS.grantsActive]: ['environment', 'policy', 'break_glass'] },
  read: accessGrantSamples,
};
