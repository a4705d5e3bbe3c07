/**
 * Where `envc traffic` gets its objects: the committed generated/kubernetes tree, or a compile in memory
 * from the model (cdk8s is loaded only then), plus any team's manifests (`--manifests`). The edges of the
 * traffic module: file reads live here.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Model } from '../compiler/model.js';
import { buildUniverse, objectsFromFiles, type RawObject, type Universe } from './universe.js';
import { ManifestError, parseManifests } from './workloads.js';

type Tagged = Array<{ env: string; object: RawObject }>;

async function listFiles(dir: string, ext: RegExp): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, ext)));
    else if (ext.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Objects of `<generatedDir>/kubernetes/**.yaml`, tagged with their environment. */
export async function objectsFromGenerated(generatedDir: string): Promise<Tagged> {
  const root = join(generatedDir, 'kubernetes');
  const paths = await listFiles(root, /\.ya?ml$/);
  const files = await Promise.all(
    paths.map(async (p) => ({
      path: relative(generatedDir, p).split(sep).join('/'),
      content: await readFile(p, 'utf8'),
    })),
  );
  return objectsFromFiles(files);
}

/** The Kubernetes emitter's objects in memory (what `envc compile` would write). */
export async function objectsFromModel(model: Model): Promise<Tagged> {
  const { kubernetesEmitter } = await import('../compiler/emitters/kubernetes/index.js');
  const { files } = await kubernetesEmitter.emit(model, { envcVersion: 'traffic' });
  return objectsFromFiles(files);
}

/** Reads `<generatedDir>/kubernetes/**.yaml`. */
export async function universeFromGenerated(generatedDir: string): Promise<Universe> {
  return buildUniverse(await objectsFromGenerated(generatedDir));
}

/** Runs the Kubernetes emitter in memory (what `envc compile` would write). */
export async function universeFromModel(model: Model): Promise<Universe> {
  return buildUniverse(await objectsFromModel(model));
}

/**
 * Reads manifest paths: files (YAML or JSON), directories (every .yaml/.yml/.json below, sorted) and `-`
 * for stdin. Returns the objects, or an error message naming the path.
 */
export async function readManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<{ objects: RawObject[]; files: number } | { error: string }> {
  const objects: RawObject[] = [];
  let files = 0;
  try {
    for (const p of paths) {
      if (p === '-') {
        objects.push(...parseManifests('<stdin>', await readStdin()));
        files++;
        continue;
      }
      const st = await stat(p);
      const list = st.isDirectory() ? await listFiles(p, /\.(ya?ml|json)$/i) : [p];
      for (const f of list) {
        objects.push(...parseManifests(f, await readFile(f, 'utf8')));
        files++;
      }
    }
  } catch (err) {
    if (err instanceof ManifestError) return { error: err.message };
    const code = (err as NodeJS.ErrnoException).code;
    return {
      error: code === 'ENOENT' ? `cannot find ${(err as { path?: string }).path}` : (err as Error).message,
    };
  }
  return { objects, files };
}

/**
 * The platform's objects for every environment plus a team's manifests deployed into `env`; pod networks
 * from the spec's `cluster.podCidr` where a model is at hand.
 */
export function universeWithManifests(
  platform: Tagged,
  env: string,
  manifests: readonly RawObject[],
  model?: Model,
): Universe {
  const cidrs = new Map((model?.environments ?? []).map((e) => [e.name, e.cluster.podCidr] as const));
  return buildUniverse([...platform, ...manifests.map((object) => ({ env, object }))], cidrs);
}
