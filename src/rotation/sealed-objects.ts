/** The SealedSecret objects a rotation writes and restores, and the wait for the controller to unseal them. */
import { ANNOTATION } from '../compiler/emitters/kubernetes/platform.js';
import type { SecretModel } from '../compiler/model.js';
import type { KubeObject, KubernetesApi } from '../integrations/kubernetes.js';
import { NAMESPACE_WIDE_ANNOTATION } from '../integrations/sealing.js';
import type { RotationDeps, Target } from './deps.js';
import type { RotationStepName } from './events.js';

/** Field manager of rotation writes: distinct from ArgoCD's, so ownership of the rotated fields is clear. */
export const ROTATION_FIELD_MANAGER = 'envc-rotation';

export class StepError extends Error {
  constructor(
    readonly step: RotationStepName,
    message: string,
  ) {
    super(message);
  }
}

export const sealedRef = (namespace: string, name: string) => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  namespace,
  name,
});

/** The fields rotation owns on a SealedSecret: the sealed data and the three rotation annotations. */
export function rotationPatch(
  t: Target,
  namespace: string,
  encryptedData: Record<string, string>,
  annotations: Record<string, string>,
): KubeObject {
  const a = { ...annotations };
  if (t.instance.scope === 'namespace-wide') a[NAMESPACE_WIDE_ANNOTATION] = 'true';
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: t.instance.name, namespace, annotations: a },
    spec: { encryptedData },
  };
}

/** What rotation applied before, to restore on failure (only the fields it owns). */
export function previousPatch(
  t: Target,
  namespace: string,
  prev: KubeObject | undefined,
): KubeObject | undefined {
  if (!prev) return undefined;
  const annotations: Record<string, string> = {};
  for (const k of [ANNOTATION.rotatedAt, ANNOTATION.rotatedBy, ANNOTATION.nextDue]) {
    const v = prev.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  const enc = ((prev.spec as { encryptedData?: Record<string, string> } | undefined)?.encryptedData ??
    {}) as Record<string, string>;
  return rotationPatch(t, namespace, enc, annotations);
}

export function describeCredential(source: SecretModel['source']): string {
  switch (source) {
    case 'linode-object-storage-key':
      return 'new object storage key created';
    case 'linode-database-credentials':
      return 'database credentials reset';
    case 'generated':
      return 'new value generated';
  }
}

/** Waits until the controller has unsealed the current generation (Synced=True), or fails with its message. */
export async function waitUnsealed(
  deps: RotationDeps,
  kube: KubernetesApi,
  namespace: string,
  name: string,
): Promise<void> {
  const deadline = Date.now() + (deps.rolloutTimeoutMs ?? 600_000);
  for (;;) {
    const o = await kube.get(sealedRef(namespace, name));
    if (!o) throw new StepError('unseal', `SealedSecret ${namespace}/${name} disappeared`);
    const status = (o.status ?? {}) as {
      observedGeneration?: number;
      conditions?: Array<{ type: string; status: string; message?: string }>;
    };
    const synced = status.conditions?.find((c) => c.type === 'Synced');
    if ((status.observedGeneration ?? 0) >= (o.metadata.generation ?? 0) && synced) {
      if (synced.status === 'True') return;
      throw new StepError(
        'unseal',
        `the controller could not unseal ${namespace}/${name}: ${synced.message ?? 'no reason given'}`,
      );
    }
    if (Date.now() >= deadline)
      throw new StepError('unseal', `the controller did not unseal ${namespace}/${name} in time`);
    await new Promise((r) => setTimeout(r, deps.pollIntervalMs ?? 2_000));
  }
}
