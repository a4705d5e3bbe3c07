/** Shared by the emitter's unit tests: the default spec's model and its emitted objects (libraries loaded once). */

import { type KubeLike, manifestsOf } from '../../../../test/support/k8s-validate.js';
import { defaultModel } from '../../../../test/support/model.js';
import type { Model } from '../../model.js';
import type { GeneratedFile } from '../types.js';
import { emitKubernetes, type KubernetesLibs, loadKubernetesLibs } from './index.js';

let libs: Promise<KubernetesLibs> | undefined;
export function libsOnce(): Promise<KubernetesLibs> {
  libs ??= loadKubernetesLibs();
  return libs;
}

export interface Emitted {
  model: Model;
  files: GeneratedFile[];
  objects: Array<{ file: string; object: KubeLike }>;
  find(kind: string, name: string, namespace?: string, env?: string): KubeLike | undefined;
  all(kind: string, env?: string): KubeLike[];
}

export async function emitModel(model: Model): Promise<Emitted> {
  const { files } = emitKubernetes(model, await libsOnce());
  const objects = manifestsOf(files);
  const inEnv = (file: string, env?: string) => env === undefined || file.startsWith(`kubernetes/${env}/`);
  return {
    model,
    files,
    objects,
    find: (kind, name, namespace, env) =>
      objects.find(
        (o) =>
          o.object.kind === kind &&
          o.object.metadata?.name === name &&
          (namespace === undefined || o.object.metadata?.namespace === namespace) &&
          inEnv(o.file, env),
      )?.object,
    all: (kind, env) =>
      objects.filter((o) => o.object.kind === kind && inEnv(o.file, env)).map((o) => o.object),
  };
}

export async function emitDefault(): Promise<Emitted> {
  return emitModel(await defaultModel());
}
