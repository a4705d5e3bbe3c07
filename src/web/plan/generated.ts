/**
 * The Kubernetes objects and Helm values of one environment as the plan's generated/ holds them, each
 * compared with a baseline (the same file at the commit of the environment's last applied plan, read by
 * the caller) and traced to the spec lines generated/manifest.json records for the file. Pure.
 */
import { createTwoFilesPatch } from 'diff';
import { parseAllDocuments } from 'yaml';

export interface GeneratedChange {
  layer: 'kubernetes' | 'helm';
  path: string;
  status: 'added' | 'changed' | 'unchanged' | 'removed';
  objects: Array<{ kind: string; name: string; namespace?: string }>;
  origins: string[];
  /** Unified diff against the baseline (changed files only). */
  patch?: string;
}

export interface GeneratedFileInput {
  path: string;
  content?: string;
  baseline?: string;
  sources: Array<{ path: string; line: number }>;
}

function objectsOf(text: string): GeneratedChange['objects'] {
  const out: GeneratedChange['objects'] = [];
  for (const doc of parseAllDocuments(text)) {
    const v = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (v && typeof v === 'object' && v.kind)
      out.push({
        kind: v.kind,
        name: v.metadata?.name ?? '?',
        ...(v.metadata?.namespace ? { namespace: v.metadata.namespace } : {}),
      });
  }
  return out;
}

export function generatedChange(f: GeneratedFileInput, specFile: string): GeneratedChange {
  const layer = f.path.startsWith('helm/') ? 'helm' : 'kubernetes';
  const status =
    f.content === undefined
      ? 'removed'
      : f.baseline === undefined
        ? 'added'
        : f.baseline === f.content
          ? 'unchanged'
          : 'changed';
  const text = f.content ?? f.baseline ?? '';
  const origins = [...new Map(f.sources.map((s) => [`${specFile}:${s.line} ${s.path}`, s])).keys()].slice(
    0,
    5,
  );
  return {
    layer,
    path: f.path,
    status,
    objects: layer === 'kubernetes' ? objectsOf(text) : [],
    origins,
    ...(status === 'changed' || status === 'removed'
      ? {
          patch: createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, f.baseline ?? '', f.content ?? '', '', ''),
        }
      : {}),
  };
}
