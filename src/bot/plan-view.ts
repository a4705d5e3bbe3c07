/**
 * What the bot shows of a plan, read from the runner's stored summary (plans.summary, JSON). The reader is
 * tolerant — counts and resource lists under the names the runner uses (`add/change/destroy` or
 * `create/update/delete`, `resources` or `changes`) — so a summary field added later does not break old
 * messages, and a missing one shows as absent rather than as an error.
 */
import { isPlanCost, type PlanCost } from '../cost/plan-cost.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op';

export interface ChangeView {
  address: string;
  action: ChangeAction;
  /** A destroy (or replace) of a protected resource: shown in bold. */
  protected: boolean;
  /** The spec line that caused it, e.g. `environments.yaml:88 environments.production.cluster.pools[1]`. */
  origin?: string;
}

export interface PlanView {
  env: string;
  digest: string;
  add: number;
  change: number;
  destroy: number;
  changes: ChangeView[];
  /** Addresses of protected resources the plan destroys. */
  protectedDestroys: string[];
  /** Git revision of the generated tree the plan was made from (what ArgoCD syncs to). */
  revision?: string;
  createdBy?: string;
  createdAt?: Date;
  /** The plan's monthly cost delta, as the runner stored it (summary.cost); absent for older plans. */
  cost?: PlanCost;
}

type J = Record<string, unknown>;

const num = (...vs: unknown[]) => {
  for (const v of vs) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return 0;
};
const str = (...vs: unknown[]) => {
  for (const v of vs) if (typeof v === 'string' && v !== '') return v;
  return undefined;
};

function action(v: unknown): ChangeAction {
  const a = Array.isArray(v) ? v.join(',') : String(v ?? '');
  if (/delete.*create|create.*delete|replace/.test(a)) return 'replace';
  if (/^(create|add|\+)$/.test(a)) return 'create';
  if (/^(update|change|~)$/.test(a)) return 'update';
  if (/^(delete|destroy|-)$/.test(a)) return 'delete';
  if (a === 'read') return 'read';
  return 'no-op';
}

function origin(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as J;
    const file = str(o.file);
    const line = typeof o.line === 'number' ? o.line : undefined;
    const path = str(o.path);
    const loc = file ? `${file}${line ? `:${line}` : ''}` : undefined;
    return [loc, path].filter(Boolean).join(' ') || undefined;
  }
  return undefined;
}

export function planView(
  env: string,
  digest: string,
  summary: J,
  extra: {
    createdBy?: string;
    createdAt?: Date;
    /** The revision recorded with the plan (plans.revision); wins over anything in the summary. */
    revision?: string;
    origins?: (env: string, address: string) => string | undefined;
  } = {},
): PlanView {
  const counts = (summary.counts ?? summary.totals ?? summary) as J;
  const list = (summary.resources ?? summary.changes ?? summary.resourceChanges ?? []) as unknown[];
  const changes: ChangeView[] = (Array.isArray(list) ? list : [])
    .filter((r): r is J => !!r && typeof r === 'object')
    .map((r) => ({
      address: String(r.address ?? r.addr ?? '?'),
      action: action(r.action ?? r.actions ?? r.change),
      protected: r.protected === true || r.isProtected === true,
      origin: origin(r.origin ?? r.source ?? r.sources),
    }))
    .filter((c) => c.action !== 'no-op' && c.action !== 'read')
    .map((c) => (c.origin || !extra.origins ? c : { ...c, origin: extra.origins(env, c.address) }));
  const protectedList = summary.protectedDestroys ?? summary.protected_destroys;
  const protectedDestroys = Array.isArray(protectedList)
    ? protectedList.map((p) => (typeof p === 'string' ? p : String((p as J)?.address ?? '?')))
    : changes
        .filter((c) => c.protected && (c.action === 'delete' || c.action === 'replace'))
        .map((c) => c.address);
  for (const c of changes) if (protectedDestroys.includes(c.address)) c.protected = true;
  return {
    env,
    digest,
    add: num(counts.add, counts.create, counts.created, changes.filter((c) => c.action === 'create').length),
    change: num(
      counts.change,
      counts.update,
      counts.updated,
      changes.filter((c) => c.action === 'update').length,
    ),
    destroy: num(
      counts.destroy,
      counts.delete,
      counts.deleted,
      changes.filter((c) => c.action === 'delete' || c.action === 'replace').length,
    ),
    changes,
    protectedDestroys,
    // Plans recorded before the runner kept the revision in its own column carry it in the summary.
    revision: str(
      extra.revision,
      summary.revision,
      summary.gitCommit,
      summary.commit,
      (summary.git as J | undefined)?.commit,
    ),
    createdBy: extra.createdBy,
    createdAt: extra.createdAt,
    ...(isPlanCost(summary.cost) ? { cost: summary.cost } : {}),
  };
}

export function hasChanges(p: PlanView): boolean {
  return p.add + p.change + p.destroy > 0 || p.changes.length > 0;
}

export function countsText(p: Pick<PlanView, 'add' | 'change' | 'destroy'>): string {
  return `+${p.add} ~${p.change} -${p.destroy}`;
}
