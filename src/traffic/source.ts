/**
 * Where `envc traffic` gets its objects: the committed generated/kubernetes tree, or a compile in memory
 * from the model (cdk8s is loaded only then). The edges of the traffic module: file reads live here.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Model } from '../compiler/model.js';
import { buildUniverse, objectsFromFiles, type Universe } from './universe.js';

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listYaml(p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Reads `<generatedDir>/kubernetes/**.yaml`. */
export async function universeFromGenerated(generatedDir: string): Promise<Universe> {
  const root = join(generatedDir, 'kubernetes');
  const paths = (await listYaml(root)).sort();
  const files = await Promise.all(
    paths.map(async (p) => ({
      path: relative(generatedDir, p).split(sep).join('/'),
      content: await readFile(p, 'utf8'),
    })),
  );
  return buildUniverse(objectsFromFiles(files));
}

/** Runs the Kubernetes emitter in memory (what `envc compile` would write). */
export async function universeFromModel(model: Model): Promise<Universe> {
  const { kubernetesEmitter } = await import('../compiler/emitters/kubernetes/index.js');
  const { files } = await kubernetesEmitter.emit(model, { envcVersion: 'traffic' });
  return buildUniverse(objectsFromFiles(files));
}
