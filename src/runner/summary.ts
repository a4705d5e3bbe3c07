/**
 * Pure: a plan's JSON → what people review. Counts follow terraform's own "Plan: N to add, N to change,
 * N to destroy" (a replacement counts as both an add and a destroy) and list each resource by address.
 */
import type { PlanSummaryCounts } from './events.js';
import type { PlanJson, ResourceChange } from './steps/show.js';

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'forget';

export interface ResourceLine {
  address: string;
  type: string;
  action: ResourceAction;
  /** Losing it loses data or identity (cluster, database, bucket, DNS zone, volume). */
  protected: boolean;
}

export interface PlanSummary {
  counts: PlanSummaryCounts;
  hasChanges: boolean;
  resources: ResourceLine[];
  /** Addresses of protected resources the plan deletes or replaces. */
  protectedDestroys: string[];
  outputs: Array<{ name: string; action: ResourceAction }>;
}

/** Linode resource types whose destruction loses data or identity. */
export const PROTECTED_TYPES: ReadonlySet<string> = new Set([
  'linode_lke_cluster',
  'linode_database_postgresql_v2',
  'linode_database_mysql_v2',
  'linode_database_postgresql',
  'linode_database_mysql',
  'linode_object_storage_bucket',
  'linode_domain',
  'linode_volume',
  'linode_vpc',
]);

export function actionOf(actions: readonly string[]): ResourceAction | undefined {
  const a = [...actions].sort().join(',');
  switch (a) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      return 'replace';
    case 'read':
      return 'read';
    case 'forget':
      return 'forget';
    default:
      return undefined; // no-op
  }
}

export function summarizeChanges(
  changes: readonly ResourceChange[],
  outputChanges: PlanJson['output_changes'] = {},
): PlanSummary {
  const counts: PlanSummaryCounts = { add: 0, change: 0, destroy: 0, replace: 0 };
  const resources: ResourceLine[] = [];
  for (const rc of changes) {
    const action = actionOf(rc.change?.actions ?? []);
    if (!action || action === 'read') continue;
    if (action === 'create') counts.add++;
    if (action === 'update') counts.change++;
    if (action === 'delete') counts.destroy++;
    if (action === 'replace') {
      counts.add++;
      counts.destroy++;
      counts.replace++;
    }
    resources.push({ address: rc.address, type: rc.type, action, protected: PROTECTED_TYPES.has(rc.type) });
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const outputs = Object.entries(outputChanges ?? {})
    .map(([name, c]) => ({ name, action: actionOf(c.actions ?? []) }))
    .filter((o): o is { name: string; action: ResourceAction } => o.action !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    counts,
    hasChanges: resources.length > 0 || outputs.length > 0,
    resources,
    protectedDestroys: resources
      .filter((r) => r.protected && (r.action === 'delete' || r.action === 'replace'))
      .map((r) => r.address),
    outputs,
  };
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  return summarizeChanges(plan.resource_changes ?? [], plan.output_changes);
}

/** `+2 ~1 -0` style. */
export function countsText(c: PlanSummaryCounts): string {
  return `+${c.add} ~${c.change} -${c.destroy}${c.replace ? ` (${c.replace} replaced)` : ''}`;
}
