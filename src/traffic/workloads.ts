/**
 * Any team's Kubernetes manifests → the objects `envc traffic` reasons about. Reads YAML (multi-document)
 * and JSON, unwraps `List` / `*List` objects, and turns every workload kind into the pod its template
 * describes. Pure: the file reads are in source.ts.
 */
import { parseAllDocuments } from 'yaml';

export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  items?: unknown[];
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    containers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }>;
    initContainers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }>;
  };
}

/** Kinds whose `spec.template` is a pod template. */
const TEMPLATED = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
]);

/** The pod template of a workload object (a Pod is its own template), or undefined for other kinds. */
export function podTemplateOf(o: RawObject): PodTemplate | undefined {
  if (!o.spec || typeof o.spec !== 'object') return undefined;
  if (o.kind === 'Pod') return { metadata: o.metadata ?? {}, spec: o.spec as PodTemplate['spec'] };
  if (o.kind && TEMPLATED.has(o.kind)) return o.spec.template as PodTemplate | undefined;
  if (o.kind === 'CronJob') {
    const job = o.spec.jobTemplate as { spec?: { template?: PodTemplate } } | undefined;
    return job?.spec?.template;
  }
  return undefined;
}

export class ManifestError extends Error {}

/** Flattens `List` and `*List` wrappers (v1 List, DeploymentList, ... as `kubectl get -o yaml` prints them). */
function flatten(o: unknown, out: RawObject[]): void {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return;
  const obj = o as RawObject;
  if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray(obj.items)) {
    for (const item of obj.items) flatten(item, out);
  } else if (typeof obj.kind === 'string') out.push(obj);
}

/**
 * Parses one manifest file: JSON (by extension, or text starting with `{`/`[`) or YAML with any number of
 * documents. A syntax error is a ManifestError naming the file and line.
 */
export function parseManifests(path: string, content: string): RawObject[] {
  const out: RawObject[] = [];
  const trimmed = content.trimStart();
  if (/\.json$/i.test(path) || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const data = JSON.parse(content) as unknown;
      for (const o of Array.isArray(data) ? data : [data]) flatten(o, out);
      return out;
    } catch (err) {
      if (/\.json$/i.test(path))
        throw new ManifestError(`${path}: not valid JSON: ${(err as Error).message}`);
      // `{ ... }` can also be YAML flow style: fall through to the YAML parser.
    }
  }
  for (const doc of parseAllDocuments(content)) {
    const e = doc.errors[0];
    if (e)
      throw new ManifestError(
        `${path}:${e.linePos?.[0]?.line ?? '?'}: YAML error: ${e.message.split('\n')[0]}`,
      );
    flatten(doc.toJS({ maxAliasCount: 100 }), out);
  }
  return out;
}
