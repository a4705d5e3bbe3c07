/** Field paths, merges and label selectors of the Kubernetes API stand-in (server-side apply, patches, lists). */
import type { Json, K8sObject } from './resources.js';

const VOLATILE_META = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

export function stripMeta<T extends Json>(o: T, keepName = false): T {
  const meta = { ...((o.metadata as Json) ?? {}) };
  for (const k of VOLATILE_META) delete meta[k];
  if (!keepName) {
    delete meta.name;
    delete meta.namespace;
  }
  return { ...o, metadata: meta };
}

export function stripVolatile(o: K8sObject): Json {
  const { status: _s, ...rest } = o;
  return stripMeta(rest as Json, true);
}

/** Leaf paths (`.spec.roleRef.name`); arrays are atomic leaves; apiVersion/kind excluded. */
export function leafPaths(o: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    const entries = Object.entries(o as Json);
    if (entries.length === 0 && prefix) out.add(prefix);
    for (const [k, v] of entries) {
      if (prefix === '' && (k === 'apiVersion' || k === 'kind')) continue;
      for (const p of leafPaths(v, `${prefix}.${k}`)) out.add(p);
    }
  } else if (prefix) out.add(prefix);
  return out;
}

export function splitPath(p: string): string[] {
  return p.split('.').slice(1);
}

export function getPath(o: unknown, p: string): unknown {
  let cur = o;
  for (const k of splitPath(p)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[k];
  }
  return cur;
}

export function deletePath(o: unknown, p: string): void {
  const parts = splitPath(p);
  let cur = o as Json;
  for (const k of parts.slice(0, -1)) {
    if (!cur || typeof cur[k] !== 'object') return;
    cur = cur[k] as Json;
  }
  delete cur[parts[parts.length - 1] as string];
}

export function fieldsV1(paths: Set<string>): Json {
  const root: Json = {};
  for (const p of paths) {
    let cur = root;
    for (const k of splitPath(p)) {
      const f = `f:${k}`;
      cur[f] = (cur[f] as Json | undefined) ?? {};
      cur = cur[f] as Json;
    }
  }
  return root;
}

/** JSON merge patch (null deletes); strategic: lists of objects with `name` merge by name. */
export function deepMerge(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    if (strategic && Array.isArray(target) && patch.every((x) => x && typeof x === 'object' && 'name' in x)) {
      const out = [...target];
      for (const item of patch) {
        const i = out.findIndex(
          (x) => x && typeof x === 'object' && (x as Json).name === (item as Json).name,
        );
        if (i >= 0) out[i] = deepMerge(out[i], item, strategic);
        else out.push(item);
      }
      return out;
    }
    return patch;
  }
  if (typeof patch !== 'object') return patch;
  const out: Json =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    const merged = deepMerge(out[k], v, strategic);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

export type Requirement = (labels: Record<string, string>) => boolean;

/** Kubernetes label selector syntax; returns an error string when it can not be parsed. */
export function parseSelector(sel: string): Requirement[] | string {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
  const out: Requirement[] = [];
  for (const p of parts) {
    const eq = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(p);
    const set = new RegExp(`^${key}\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(p);
    const absent = new RegExp(`^!${key}$`).exec(p);
    const exists = new RegExp(`^${key}$`).exec(p);
    if (eq) {
      const [, k, op, v] = eq as unknown as [string, string, string, string];
      out.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if (set) {
      const [, k, op, list] = set as unknown as [string, string, string, string];
      const vals = list.split(',').map((s) => s.trim());
      out.push(
        op === 'in'
          ? (l) => l[k] !== undefined && vals.includes(l[k] as string)
          : (l) => l[k] === undefined || !vals.includes(l[k] as string),
      );
    } else if (absent) {
      const k = absent[1] as string;
      out.push((l) => l[k] === undefined);
    } else if (exists) {
      const k = exists[1] as string;
      out.push((l) => l[k] !== undefined);
    } else return p;
  }
  return out;
}
