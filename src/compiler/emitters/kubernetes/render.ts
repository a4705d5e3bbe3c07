/**
 * Renders manifests to a YAML file: each file's objects go through a cdk8s Chart rendered in memory
 * (`chart.toJson()`), with explicit names and no namespace stamping (the chart has none; each object names
 * its own), then serialise with sorted keys and no line folding, behind the generated-file header.
 */
import type * as Cdk8s from 'cdk8s';
import type { GeneratedFile, SourceRef } from '../types.js';
import { generatedHeader } from '../types.js';
import { SYNC_WAVE } from './argocd.js';
import { CLUSTER_SCOPED_KINDS, type KubeObject, type Manifest, objectKey, sortedRecord } from './objects.js';
import { ANNOTATION } from './platform.js';
import { toYamlDocument } from './yaml.js';

/** Adds the ArgoCD sync wave for the object's kind (namespaces and policies before workloads). */
export function withSyncWave(o: KubeObject): KubeObject {
  const wave = SYNC_WAVE[o.kind];
  if (wave === undefined) return o;
  return { ...o, metadata: { ...o.metadata, annotations: sortedRecord({ ...(o.metadata.annotations ?? {}), [ANNOTATION.syncWave]: wave }) } };
}

/** Passes plain objects through a chart so every file is rendered the same way. */
export function throughChart(cdk8s: typeof Cdk8s, app: Cdk8s.App, id: string, objects: KubeObject[]): KubeObject[] {
  const chart = new cdk8s.Chart(app, id, { disableResourceNameHashes: true });
  objects.forEach((o, i) => {
    new cdk8s.ApiObject(chart, `o${i}`, o as Cdk8s.ApiObjectProps);
  });
  return chart.toJson() as KubeObject[];
}

export function toYaml(objects: readonly KubeObject[], note?: string): string {
  const docs = objects.map((o) => toYamlDocument(o));
  const head = generatedHeader('#') + (note ? `# ${note}\n` : '');
  return head + docs.map((d) => `---\n${d}`).join('');
}

/** A file of objects with its source map; cluster-scoped kinds lose any namespace a library stamped on. */
export function file(path: string, objects: KubeObject[], origins: Map<string, Manifest['origin']>, note?: string): GeneratedFile {
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
  return { path, content: toYaml(clean, note), sources };
}
