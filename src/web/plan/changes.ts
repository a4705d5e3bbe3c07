/**
 * Pure: `terraform show -json` of a saved plan → what the review page lists per resource: address, action,
 * each changed attribute (before → after) with sensitive values masked and unknown values named, and the
 * spec line that caused it. Values marked sensitive anywhere above a leaf are masked; nothing of them
 * reaches the page.
 */
import { actionOf, type ResourceAction } from '../../runner/summary.js';

export interface PlanJsonLike {
  resource_changes?: Array<{
    address: string;
    type: string;
    change: {
      actions: string[];
      before?: unknown;
      after?: unknown;
      after_unknown?: unknown;
      before_sensitive?: unknown;
      after_sensitive?: unknown;
    };
  }>;
}

export interface AttrChange {
  path: string;
  before?: string;
  after?: string;
  sensitive: boolean;
}

export interface ResourceView {
  address: string;
  type: string;
  action: ResourceAction;
  origin?: string;
  attrs: AttrChange[];
}

export const MASK = '(sensitive value)';
const UNKNOWN = '(known after apply)';
const MAX_DEPTH = 8;

type Leaves = Map<string, unknown>;

function leaves(v: unknown, path: string, out: Leaves, depth = 0): Leaves {
  if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (entries.length === 0) out.set(path, v);
    for (const [k, x] of entries) leaves(x, path ? `${path}.${k}` : k, out, depth + 1);
    return out;
  }
  out.set(path, v);
  return out;
}

/** Whether terraform's sensitivity (or unknown) mask marks `path` or one of its ancestors. */
function marked(mask: unknown, path: string): boolean {
  if (mask === true) return true;
  let cur: unknown = mask;
  for (const k of path ? path.split('.') : []) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[k];
    if (cur === true) return true;
  }
  return false;
}

const show = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

export function attributeChanges(
  c: NonNullable<PlanJsonLike['resource_changes']>[number]['change'],
): AttrChange[] {
  const before = c.before === null || c.before === undefined ? new Map() : leaves(c.before, '', new Map());
  const after = c.after === null || c.after === undefined ? new Map() : leaves(c.after, '', new Map());
  const unknown = c.after_unknown;
  const unknownPaths = unknown && typeof unknown === 'object' ? leaves(unknown, '', new Map()) : new Map();
  const paths = new Set<string>([...before.keys(), ...after.keys()]);
  for (const [p, v] of unknownPaths) if (v === true) paths.add(p);
  const out: AttrChange[] = [];
  for (const path of [...paths].sort()) {
    const b = before.get(path);
    const isUnknown = marked(unknown, path);
    const a = isUnknown ? undefined : after.get(path);
    if (!isUnknown && JSON.stringify(b) === JSON.stringify(a)) continue;
    // Like terraform's own plan output: an attribute that is and stays unset is not a change worth a row.
    if (!isUnknown && (b ?? null) === null && (a ?? null) === null) continue;
    const sensitive = marked(c.before_sensitive, path) || marked(c.after_sensitive, path);
    out.push({
      path: path || '(value)',
      ...(before.has(path) ? { before: sensitive ? MASK : show(b) } : {}),
      ...(isUnknown ? { after: UNKNOWN } : after.has(path) ? { after: sensitive ? MASK : show(a) } : {}),
      sensitive,
    });
  }
  return out;
}

export function resourceViews(
  plan: PlanJsonLike,
  origin: (address: string) => string | undefined,
): ResourceView[] {
  const out: ResourceView[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = actionOf(rc.change?.actions ?? []);
    if (!action || action === 'read') continue;
    const o = origin(rc.address);
    out.push({
      address: rc.address,
      type: rc.type,
      action,
      ...(o ? { origin: o } : {}),
      attrs: attributeChanges(rc.change),
    });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
