/** The plain-object currency of the Kubernetes emitter: an object and the spec location that produced it. */
import type { Origin } from '../../model.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One object to emit and where in environments.yaml it comes from (the source map entry). */
export interface Manifest {
  object: KubeObject;
  origin: Origin;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: the source map key. */
export function objectKey(o: { kind: string; metadata: { name?: string; namespace?: string } }): string {
  return o.metadata.namespace
    ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;
}

/** Kinds that are cluster-scoped: they must never carry metadata.namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'ClusterIssuer',
]);

/** Sorted copy of a string record (stable key order independent of insertion). */
export function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Byte-order string comparison (locale-independent, so output does not depend on the machine). */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
