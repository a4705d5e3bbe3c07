/**
 * One SealedSecret placeholder per secret and namespace that uses it: names, scope and rotation metadata
 * only — never a value. `encryptedData` starts empty; the rotation job seals real values into it in the
 * cluster, and the generated Applications ignore that field (see argocd.ts) so ArgoCD never reverts it.
 */
import type { ISealedSecret } from '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret';
import type { EnvironmentModel, Model, SecretInstance, SecretSource } from '../../model.js';
import { formatDuration } from '../../quantities.js';
import type { Manifest } from './objects.js';
import { ANNOTATION, commonLabels, LABEL } from './platform.js';

export interface SealedSecretModels {
  SealedSecret: new (data: Omit<ISealedSecret, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
}

/**
 * Keys the Secret holds once rotated (what workloads read from the mounted volume, and exactly what the
 * rotation job seals — src/rotation/sources.ts picks these).
 */
export function expectedKeys(source: SecretSource, key?: string): string[] {
  switch (source) {
    case 'linode-object-storage-key':
      return ['access_key', 'bucket', 'endpoint', 'secret_key'];
    case 'linode-database-credentials':
      return ['password', 'username'];
    case 'generated':
      // One value; platform secrets name its key (Redis reads `password`).
      return [key ?? 'value'];
  }
}

export function sealedSecrets(model: Model, env: EnvironmentModel, lib: SealedSecretModels): Manifest[] {
  const out: Manifest[] = [];
  for (const s of env.secrets) {
    const origin = model.secrets.find((m) => m.name === s.name)?.origin ?? env.origin;
    for (const ns of s.namespaces)
      out.push({ object: sealedSecret(env, s, ns, lib).toJSON() as Manifest['object'], origin });
  }
  return out;
}

function sealedSecret(env: EnvironmentModel, s: SecretInstance, namespace: string, lib: SealedSecretModels) {
  const labels = { ...commonLabels(env.name), [LABEL.secret]: s.name };
  const annotations: Record<string, string> = {
    [ANNOTATION.secretSource]: s.source,
    [ANNOTATION.rotateEvery]: formatDuration(s.rotateEverySeconds),
    'envc.io/keys': expectedKeys(s.source, s.key).join(','),
  };
  if (s.usedBy.length > 0) annotations['envc.io/used-by'] = s.usedBy.join(',');
  if (s.gracePeriodSeconds > 0) annotations[ANNOTATION.gracePeriod] = formatDuration(s.gracePeriodSeconds);
  // Strict scope (the default) binds the ciphertext to namespace/name; namespace-wide must say so.
  if (s.scope === 'namespace-wide') annotations[ANNOTATION.namespaceWide] = 'true';
  return new lib.SealedSecret({
    metadata: { name: s.name, namespace, labels, annotations },
    spec: {
      encryptedData: {},
      template: {
        metadata: {
          name: s.name,
          namespace,
          labels,
          ...(s.scope === 'namespace-wide' ? { annotations: { [ANNOTATION.namespaceWide]: 'true' } } : {}),
        },
        type: 'Opaque',
      },
    },
  });
}
