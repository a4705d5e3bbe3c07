/**
 * Renders manifests to a YAML file behind the generated-file header. Workloads come out of cdk8s-plus
 * charts rendered in memory (`chart.toJson()`, explicit names, no chart namespace — each object names its
 * own); the declarative objects (namespaces, policies, RBAC, CRDs) are typed kubernetes-models data written
 * directly — a chart adds nothing to them but a resolve pass that cost half the emitter's time on large specs.
 */
import type * as Cdk8s from 'cdk8s';
import type { GeneratedFile, SourceRef } from '../types.js';
import { generatedHeader, withData } from '../types.js';
import { SYNC_WAVE } from './argocd.js';
import { CLUSTER_SCOPED_KINDS, type KubeObject, type Manifest, objectKey, sortedRecord } from './objects.js';
import { ANNOTATION } from './platform.js';
import { toYamlDocument } from './yaml.js';

/** Adds the ArgoCD sync wave for the object's kind (namespaces and policies before workloads). */
export function withSyncWave(o: KubeObject): KubeObject {
  const wave = SYNC_WAVE[o.kind];
  if (wave === undefined) return o;
  return {
    ...o,
    metadata: {
      ...o.metadata,
      annotations: sortedRecord({ ...(o.metadata.annotations ?? {}), [ANNOTATION.syncWave]: wave }),
    },
  };
}

/**
 * A chart of its own App: cdk8s synthesises a chart by walking its whole App (dependencies, validation), so
 * one App per chart keeps emitting linear in the number of services.
 */
export function newChart(cdk8s: typeof Cdk8s, id: string): Cdk8s.Chart {
  return new cdk8s.Chart(new cdk8s.App({ outdir: '/nonexistent-envc-never-written' }), id, {
    disableResourceNameHashes: true,
  });
}

export function toYaml(objects: readonly KubeObject[], note?: string): string {
  const docs = objects.map((o) => toYamlDocument(o));
  const head = generatedHeader('#') + (note ? `# ${note}\n` : '');
  return head + docs.map((d) => `---\n${d}`).join('');
}

/** A file of objects with its source map; cluster-scoped kinds lose any namespace a library stamped on. */
export function file(
  path: string,
  objects: KubeObject[],
  origins: Map<string, Manifest['origin']>,
  note?: string,
): GeneratedFile {
  const clean = objects.map((o) => {
    if (!CLUSTER_SCOPED_KINDS.has(o.kind) || o.metadata.namespace === undefined) return o;
    const { namespace: _drop, ...metadata } = o.metadata;
    return { ...o, metadata };
  });
  const sources: SourceRef[] = [];
  for (const o of clean) {
    const key = objectKey(o);
    const origin = origins.get(key);
    if (origin) sources.push({ resource: key, origin });
  }
  return withData({ path, content: toYaml(clean, note), sources }, clean);
}
