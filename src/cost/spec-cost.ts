/**
 * The monthly cost of every environment, from the normalized model and what envc generates for it (the Helm
 * values of its add-ons): node pools (count × plan price in the region; autoscaled pools as a min–max range),
 * the HA control plane, managed databases (plan × nodes), NodeBalancers (every Service of type LoadBalancer,
 * the ingress controller's included), Object Storage (the account's base fee, on the environment holding the
 * state bucket) and Block Storage volumes for every claim (Prometheus, Alertmanager, Loki, Tempo, Redis).
 * Pure: model and catalogue in, numbers out; a missing price is listed, never counted as 0 silently.
 */
import { helmReleasesFor, releaseValues } from '../compiler/emitters/helm/index.js';
import type { EnvironmentModel, Model, Origin } from '../compiler/model.js';
import { billableInValues } from './billable.js';
import { monthlyPrice, type PriceCatalogue, priceKey, stalenessWarning } from './catalogue.js';
import type { CostItem, CostKind, EnvironmentCost, SpecCost, UnknownPrice } from './types.js';

/** Cents-exact sums: prices have at most 4 decimals, so round every product to 1/10000. */
export const round = (n: number) => Math.round(n * 10_000) / 10_000;

interface Pricer {
  item(o: {
    kind: CostKind;
    name: string;
    key: string;
    quantity: number;
    range?: { min: number; max: number };
    origin?: Origin;
  }): void;
}

function pricer(cat: PriceCatalogue, region: string, items: CostItem[], unknown: UnknownPrice[]): Pricer {
  return {
    item({ kind, name, key, quantity, range, origin }) {
      const p = monthlyPrice(cat, key, region);
      if (!p) unknown.push({ name, priceKey: key, region });
      const unit = p?.monthly;
      items.push({
        kind,
        name,
        priceKey: key,
        quantity,
        ...(unit !== undefined ? { unitMonthly: unit, regional: p?.regional ?? false } : {}),
        monthly: unit === undefined ? 0 : round(quantity * unit),
        ...(range && unit !== undefined
          ? { range: { min: round(range.min * unit), max: round(range.max * unit) } }
          : {}),
        ...(origin ? { origin } : {}),
      });
    },
  };
}

/**
 * The environment whose stack creates the state bucket — the same choice as the Terraform emitter's
 * `stateHostOf` (a test holds them equal); not imported from there, which would load Handlebars into
 * `envc validate` through the budget rule.
 */
export function stateHost(model: Model): EnvironmentModel | undefined {
  return (
    model.environments.find((e) => e.hosts.includes('bot')) ??
    model.environments.find((e) => e.tier === 'system') ??
    model.environments[0]
  );
}

export function environmentCost(model: Model, env: EnvironmentModel, cat: PriceCatalogue): EnvironmentCost {
  const items: CostItem[] = [];
  const unknown: UnknownPrice[] = [];
  const p = pricer(cat, env.region, items, unknown);

  for (const pool of env.cluster.pools) {
    if (pool.count === 0 && !pool.autoscaler) continue; // not created (scale-to-zero)
    p.item({
      kind: 'node-pool',
      name: `pool ${pool.name}: ${pool.count} × ${pool.type}`,
      key: priceKey.linode(pool.type),
      quantity: pool.count,
      ...(pool.autoscaler ? { range: { min: pool.autoscaler.min, max: pool.autoscaler.max } } : {}),
      origin: pool.origin,
    });
  }
  if (env.cluster.highAvailability) {
    p.item({
      kind: 'control-plane',
      name: 'HA control plane',
      key: priceKey.lke('lke-ha'),
      quantity: 1,
      origin: env.cluster.origin,
    });
  }
  const pg = env.dataServices.postgres;
  if (pg) {
    p.item({
      kind: 'database',
      name: `postgres ${pg.label}: ${pg.nodes} × ${pg.type}`,
      key: priceKey.database('postgresql', pg.type, pg.nodes),
      quantity: 1,
      origin: pg.origin,
    });
  }
  for (const release of helmReleasesFor(env)) {
    const found = billableInValues(releaseValues(model, env, release));
    const origin = release === 'redis' && env.dataServices.redis ? env.dataServices.redis.origin : env.origin;
    for (const lb of found.loadBalancers) {
      p.item({
        kind: 'nodebalancer',
        name: `NodeBalancer for ${release} (${lb})`,
        key: priceKey.nodebalancer,
        quantity: 1,
        origin,
      });
    }
    for (const v of found.volumes) {
      const where = v.path
        .split('.')
        .filter((s) => !/^(persistence|storageSpec|volumeClaimTemplate|storage)$/.test(s));
      p.item({
        kind: 'volume',
        name: `volume ${release}${where.length ? ` ${where.join('.')}` : ''}: ${v.replicas} × ${v.billedGb} GB`,
        key: priceKey.volume,
        quantity: v.replicas * v.billedGb,
        origin,
      });
    }
  }
  if (stateHost(model) === env) {
    p.item({
      kind: 'object-storage',
      name: `Object Storage (state bucket ${model.stateBackend.bucket}; base fee, billed once per account)`,
      key: priceKey.objectStorage,
      quantity: 1,
      origin: model.stateBackend.origin,
    });
  }

  const monthly = round(items.reduce((s, i) => s + i.monthly, 0));
  const range = {
    min: round(items.reduce((s, i) => s + (i.range?.min ?? i.monthly), 0)),
    max: round(items.reduce((s, i) => s + (i.range?.max ?? i.monthly), 0)),
  };
  return {
    env: env.name,
    region: env.region,
    currency: 'USD',
    monthly,
    range,
    items,
    unknown,
    ...(env.budget ? { budget: { monthly: env.budget.monthly, currency: env.budget.currency } } : {}),
  };
}

/** Every environment (or the named ones), with totals and the catalogue's date, source and age. */
export function specCost(
  model: Model,
  cat: PriceCatalogue,
  o: { today: string; envs?: readonly string[]; catalogueWhere?: string },
): SpecCost {
  const envs = model.environments.filter((e) => !o.envs || o.envs.includes(e.name));
  const environments = envs.map((e) => environmentCost(model, e, cat));
  const stale = stalenessWarning(cat, o.today, o.catalogueWhere ?? '');
  return {
    currency: 'USD',
    catalogue: { date: cat.date, source: cat.source, ...(stale ? { stale } : {}) },
    environments,
    total: round(environments.reduce((s, e) => s + e.monthly, 0)),
    totalRange: {
      min: round(environments.reduce((s, e) => s + e.range.min, 0)),
      max: round(environments.reduce((s, e) => s + e.range.max, 0)),
    },
  };
}
