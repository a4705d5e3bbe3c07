/** The Kubernetes API stand-in's objects, their resource versions and field managers. */
import { randomUUID } from 'node:crypto';
import type { TokenAuthority } from './auth.js';
import { fieldsV1, getPath, leafPaths, stripMeta } from './paths.js';
import { gv, type Json, type K8sObject, type ResourceType } from './resources.js';
import type { SealingKeyPair } from './sealing.js';

export interface RecordedK8sRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body: string;
  status: number;
}

export interface K8sFailure {
  method?: string;
  /** Substring of the path. */
  path: string;
  status: number;
  reason: string;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

type Owner = { operation: 'Apply' | 'Update'; paths: Set<string>; time: string };

/** Everything the stand-in holds; the request handler and the controllers work on it. */
export interface Cluster {
  token: string;
  sealing?: SealingKeyPair;
  ssNamespace: string;
  ssService: string;
  objects: Map<string, K8sObject>;
  /** object key → manager → owned leaf paths */
  owners: Map<string, Map<string, Owner>>;
  health: Map<string, 'healthy' | 'crashloop'>;
  pendingObservation: Set<string>;
  failures: Array<K8sFailure & { left: number }>;
  requests: RecordedK8sRequest[];
  rv: number;
  models: Map<string, (o: unknown) => void>;
  k8s: typeof import('@kubernetes/client-node');
  /** ServiceAccount tokens minted by TokenRequest (auth.ts). */
  tokens: TokenAuthority;
}

export function finalizeMeta(c: Cluster, r: ResourceType, obj: K8sObject, prev: K8sObject | undefined): void {
  obj.apiVersion = gv(r);
  obj.kind = r.kind;
  obj.metadata.uid = prev?.metadata.uid ?? randomUUID();
  obj.metadata.creationTimestamp = prev?.metadata.creationTimestamp ?? new Date().toISOString();
  obj.metadata.resourceVersion = String(++c.rv);
  if (r.kind === 'Deployment' || r.kind === 'SealedSecret') {
    const specChanged = !prev || JSON.stringify(prev.spec) !== JSON.stringify(obj.spec);
    obj.metadata.generation = (prev?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    if (prev && !specChanged) obj.status = prev.status;
  }
}

export function managedFieldsOf(c: Cluster, key: string): Json[] {
  const m = c.owners.get(key);
  if (!m) return [];
  return [...m.entries()]
    .filter(([, v]) => v.paths.size > 0)
    .map(([manager, v]) => ({
      manager,
      operation: v.operation,
      apiVersion: key.split('|')[0],
      time: v.time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1(v.paths),
    }));
}

export function listItems(c: Cluster, r: ResourceType, ns: string | undefined): K8sObject[] {
  return [...c.objects.values()]
    .filter(
      (o) => o.apiVersion === gv(r) && o.kind === r.kind && (ns === undefined || o.metadata.namespace === ns),
    )
    .sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
}

export function own(
  c: Cluster,
  key: string,
  manager: string,
  operation: 'Apply' | 'Update',
  paths: Set<string>,
  force = true,
): void {
  const m = c.owners.get(key) ?? new Map();
  c.owners.set(key, m);
  if (force) for (const [other, o] of m) if (other !== manager) for (const p of paths) o.paths.delete(p);
  m.set(manager, { operation, paths: new Set(paths), time: new Date().toISOString() });
}

export function takeChanged(
  c: Cluster,
  key: string,
  manager: string,
  before: K8sObject,
  after: K8sObject,
): void {
  const changed = new Set(
    [...leafPaths(stripMeta(structuredClone(after)))].filter(
      (p) => JSON.stringify(getPath(before, p)) !== JSON.stringify(getPath(after, p)),
    ),
  );
  const m = c.owners.get(key) ?? new Map();
  c.owners.set(key, m);
  for (const [, o] of m) for (const p of changed) o.paths.delete(p);
  const prev = m.get(manager);
  m.set(manager, {
    operation: 'Update',
    paths: new Set([...(prev?.paths ?? []), ...changed]),
    time: new Date().toISOString(),
  });
}
