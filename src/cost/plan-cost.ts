/**
 * The monthly cost delta of a terraform plan, from its resource changes (`terraform show -json`): each
 * resource is priced as it is before and after the change, from its own attributes, so what is reviewed is
 * what the plan will do — not what the spec says. A change that touches only Kubernetes objects without
 * volumes or load balancers costs 0. Resources that stay (no-op) still count toward the environment's total
 * after the change, which is what a budget is compared with. Pure.
 */
import { parse as parseYaml } from 'yaml';
import {
  type Billable,
  billableInObject,
  billableInValues,
  billedGb,
  NODEBALANCER_ID_ANNOTATION,
} from './billable.js';
import { monthlyPrice, type PriceCatalogue, priceKey, stalenessWarning } from './catalogue.js';
import { round } from './spec-cost.js';
import type { CatalogueInfo, UnknownPrice } from './types.js';

/** The parts of a plan's resource change this reads (terraform's JSON output format 1.x). */
export interface PlanResourceChange {
  address: string;
  type: string;
  mode?: string;
  change: { actions: string[]; before?: unknown; after?: unknown };
}

export interface CostPart {
  name: string;
  priceKey: string;
  quantity: number;
  monthly: number;
}

export interface ResourceCostLine {
  address: string;
  type: string;
  action: string;
  before: number;
  after: number;
  delta: number;
  /** What was priced after the change (or before it, for a delete). */
  parts: CostPart[];
}

export interface PlanCost {
  currency: 'USD';
  /** Every priced resource of the root before and after the plan. */
  monthlyBefore: number;
  monthlyAfter: number;
  delta: number;
  /** Changed resources with a cost difference, largest first. */
  resources: ResourceCostLine[];
  unknown: UnknownPrice[];
  catalogue: CatalogueInfo;
  budget?: {
    monthly: number;
    before: 'under' | 'warn' | 'over';
    after: 'under' | 'warn' | 'over';
    crosses: boolean;
  };
}

/** Enough of a stored cost to render it; anything else (an older or foreign summary) is left out. */
export function isPlanCost(v: unknown): v is PlanCost {
  const c = v as PlanCost | undefined;
  return (
    !!c &&
    typeof c === 'object' &&
    [c.delta, c.monthlyBefore, c.monthlyAfter].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Array.isArray(c.resources) &&
    Array.isArray(c.unknown) &&
    typeof c.catalogue?.date === 'string'
  );
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => !!v && typeof v === 'object' && !Array.isArray(v);
/** Terraform shows nested blocks as lists; a single block is their first element. */
const block = (v: unknown): J | undefined =>
  Array.isArray(v) ? (isObj(v[0]) ? v[0] : undefined) : isObj(v) ? v : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

interface Priced {
  parts: CostPart[];
  unknown: UnknownPrice[];
}

/** Prices one resource's attribute values (a `before` or `after`). */
export function priceResource(
  type: string,
  values: unknown,
  cat: PriceCatalogue,
  fallbackRegion?: string,
): Priced {
  const out: Priced = { parts: [], unknown: [] };
  if (!isObj(values)) return out;
  const region = str(values.region) ?? fallbackRegion ?? '';
  const add = (name: string, key: string, quantity: number) => {
    if (quantity === 0) return;
    const p = monthlyPrice(cat, key, region || undefined);
    if (!p) out.unknown.push({ name, priceKey: key, region });
    out.parts.push({ name, priceKey: key, quantity, monthly: p ? round(p.monthly * quantity) : 0 });
  };
  const pool = (label: string, p: J, countKey: 'count' | 'node_count') => {
    const t = str(p.type);
    const count = num(p[countKey]) ?? 0;
    if (t) add(`pool ${label}: ${count} × ${t}`, priceKey.linode(t), count);
  };
  const billable = (b: Billable, what: string) => {
    for (const lb of b.loadBalancers) add(`NodeBalancer for ${what} (${lb})`, priceKey.nodebalancer, 1);
    for (const v of b.volumes)
      add(
        `volume ${what} ${v.path}: ${v.replicas} × ${v.billedGb} GB`,
        priceKey.volume,
        v.replicas * v.billedGb,
      );
  };

  switch (type) {
    case 'linode_lke_cluster': {
      const cp = block(values.control_plane);
      if (str(values.tier) === 'enterprise') add('LKE Enterprise control plane', priceKey.lke('lke-e'), 1);
      else if (cp?.high_availability === true) add('HA control plane', priceKey.lke('lke-ha'), 1);
      const pools = Array.isArray(values.pool) ? values.pool : [];
      pools.forEach((p, i) => {
        if (isObj(p)) pool(str(p.label) ?? String(i), p, 'count');
      });
      break;
    }
    case 'linode_lke_node_pool':
      pool(str(values.label) ?? 'node pool', values, 'node_count');
      break;
    case 'linode_database_postgresql_v2':
    case 'linode_database_mysql_v2':
    case 'linode_database_postgresql':
    case 'linode_database_mysql': {
      const engine = type.includes('mysql') ? 'mysql' : 'postgresql';
      const t = str(values.type);
      const nodes = num(values.cluster_size) ?? 1;
      if (t)
        add(
          `${engine} ${str(values.label) ?? ''}: ${nodes} × ${t}`.replace('  ', ' '),
          priceKey.database(engine, t, nodes),
          1,
        );
      break;
    }
    case 'linode_nodebalancer':
      add(`NodeBalancer ${str(values.label) ?? ''}`.trim(), priceKey.nodebalancer, 1);
      break;
    case 'linode_volume': {
      const size = num(values.size);
      if (size)
        add(`volume ${str(values.label) ?? ''}: ${billedGb(size)} GB`, priceKey.volume, billedGb(size));
      break;
    }
    case 'helm_release': {
      const name = str(values.name) ?? 'release';
      const list = Array.isArray(values.values) ? values.values : [];
      // `set { name = "controller.service.annotations.service\.beta…nodebalancer-id" }` attaches the
      // chart's LoadBalancer Service to a NodeBalancer Terraform creates (and prices) itself.
      const sets = Array.isArray(values.set) ? values.set : [];
      const reuses = sets.some(
        (x) =>
          isObj(x) &&
          typeof x.name === 'string' &&
          x.name.replace(/\\/g, '').includes(NODEBALANCER_ID_ANNOTATION),
      );
      for (const doc of list) {
        if (typeof doc !== 'string') continue;
        try {
          const found = billableInValues(parseYaml(doc));
          billable(reuses ? { ...found, loadBalancers: [] } : found, name);
        } catch {
          // Values terraform could not show as YAML are left out; the chart still installs what it installs.
        }
      }
      break;
    }
    case 'kubernetes_service':
    case 'kubernetes_service_v1': {
      const spec = block(values.spec);
      const meta = block(values.metadata);
      if (spec?.type === 'LoadBalancer')
        add(`NodeBalancer for Service ${str(meta?.name) ?? ''}`.trim(), priceKey.nodebalancer, 1);
      break;
    }
    case 'kubernetes_persistent_volume_claim':
    case 'kubernetes_persistent_volume_claim_v1': {
      const spec = block(values.spec);
      const res = block(spec?.resources);
      const storage = isObj(res?.requests) ? res.requests.storage : undefined;
      const meta = block(values.metadata);
      billable(
        billableInObject({
          kind: 'PersistentVolumeClaim',
          metadata: { name: str(meta?.name) },
          spec: { resources: { requests: { storage } } },
        }),
        'claim',
      );
      break;
    }
    case 'kubernetes_manifest':
      billable(billableInObject(values.manifest), 'manifest');
      break;
  }
  return out;
}

const total = (p: Priced) => round(p.parts.reduce((s, x) => s + x.monthly, 0));

function budgetState(monthly: number, budget: number): 'under' | 'warn' | 'over' {
  if (monthly > budget) return 'over';
  if (monthly > 0.9 * budget) return 'warn';
  return 'under';
}

/**
 * The plan's cost: before/after totals over every managed resource in it, and per changed resource its delta.
 * `region` prices resources that carry none (Helm releases, Kubernetes objects): the environment's region.
 */
export function planCost(
  changes: readonly PlanResourceChange[],
  cat: PriceCatalogue,
  o: { today: string; region?: string; budget?: number; catalogueWhere?: string } = { today: '' },
): PlanCost {
  let before = 0;
  let after = 0;
  const resources: ResourceCostLine[] = [];
  const unknown = new Map<string, UnknownPrice>();
  // A cluster's region prices the add-ons installed in it.
  const region =
    o.region ??
    changes
      .filter((c) => c.type === 'linode_lke_cluster')
      .map(
        (c) =>
          str((c.change.after as J | undefined)?.region) ?? str((c.change.before as J | undefined)?.region),
      )
      .find((r) => r !== undefined);
  for (const rc of changes) {
    if (rc.mode === 'data') continue;
    const actions = rc.change.actions ?? [];
    const b = actions.includes('create') && !actions.includes('delete') ? undefined : rc.change.before;
    const a = actions.includes('delete') && !actions.includes('create') ? undefined : rc.change.after;
    const pb = priceResource(rc.type, b, cat, region);
    const pa = priceResource(rc.type, a, cat, region);
    const cb = total(pb);
    const ca = total(pa);
    before += cb;
    after += ca;
    const changed = !(actions.length === 1 && (actions[0] === 'no-op' || actions[0] === 'read'));
    for (const u of changed ? [...pb.unknown, ...pa.unknown] : pa.unknown)
      unknown.set(`${u.priceKey}@${u.region}`, u);
    if (changed && (cb !== ca || pa.unknown.length > 0 || pb.unknown.length > 0)) {
      resources.push({
        address: rc.address,
        type: rc.type,
        action: [...actions].sort().join(',') === 'create,delete' ? 'replace' : (actions[0] ?? 'no-op'),
        before: cb,
        after: ca,
        delta: round(ca - cb),
        parts: pa.parts.length > 0 ? pa.parts : pb.parts,
      });
    }
  }
  resources.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.address.localeCompare(y.address));
  const stale = stalenessWarning(cat, o.today, o.catalogueWhere ?? '');
  const monthlyBefore = round(before);
  const monthlyAfter = round(after);
  const out: PlanCost = {
    currency: 'USD',
    monthlyBefore,
    monthlyAfter,
    delta: round(after - before),
    resources,
    unknown: [...unknown.values()],
    catalogue: { date: cat.date, source: cat.source, ...(stale ? { stale } : {}) },
  };
  if (o.budget !== undefined) {
    const sb = budgetState(monthlyBefore, o.budget);
    const sa = budgetState(monthlyAfter, o.budget);
    const rank = { under: 0, warn: 1, over: 2 } as const;
    out.budget = { monthly: o.budget, before: sb, after: sa, crosses: rank[sa] > rank[sb] };
  }
  return out;
}
