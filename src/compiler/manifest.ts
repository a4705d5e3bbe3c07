import { createHash } from 'node:crypto';
import type { GeneratedFile } from './emitters/types.js';
import type { Model } from './model.js';

export const MANIFEST_PATH = 'manifest.json';

export interface ManifestEntry {
  sha256: string;
  /** Source map: every resource in the file and the spec line that produced it. */
  sources: Array<{ resource: string; path: string; line: number; column: number }>;
}

export interface Manifest {
  generatedBy: 'envc';
  envcVersion: string;
  source: { file: string; sha256: string };
  files: Record<string, ManifestEntry>;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * generated/manifest.json: every file envc owns with its sha256, the source digest, and the source map.
 * Deterministic: files sorted by path, sources sorted, no timestamps.
 */
export function buildManifest(model: Model, files: readonly GeneratedFile[], envcVersion: string): Manifest {
  const entries: Record<string, ManifestEntry> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    entries[f.path] = {
      sha256: sha256(f.content),
      sources: (f.sources ?? [])
        .map((s) => ({
          resource: s.resource,
          path: s.origin.path,
          line: s.origin.line,
          column: s.origin.column,
        }))
        .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : a.line - b.line)),
    };
  }
  return {
    generatedBy: 'envc',
    envcVersion,
    source: { file: model.sourceFile, sha256: model.sourceDigest },
    files: entries,
  };
}

export function manifestFile(manifest: Manifest): GeneratedFile {
  return { path: MANIFEST_PATH, content: `${JSON.stringify(manifest, null, 2)}\n` };
}

/** Reads a manifest's owned file list; tolerant of a missing or hand-damaged manifest (owns nothing then). */
export function ownedFiles(manifestText: string | undefined): Set<string> {
  if (!manifestText) return new Set();
  try {
    const m = JSON.parse(manifestText) as Partial<Manifest>;
    if (m.generatedBy !== 'envc' || typeof m.files !== 'object' || m.files === null) return new Set();
    return new Set([...Object.keys(m.files), MANIFEST_PATH]);
  } catch {
    return new Set();
  }
}
