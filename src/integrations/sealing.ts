/**
 * Sealing in the Sealed Secrets format (bitnami-labs/sealed-secrets `crypto.HybridEncrypt`):
 *
 *   2-byte big-endian length of the wrapped key ‖ RSA-OAEP-SHA256(session key, label) ‖ AES-256-GCM(value) ‖ tag
 *
 * The OAEP label binds a sealed value to where it may be unsealed: `namespace/name` (strict, the default),
 * `namespace` (namespace-wide) or `` (cluster-wide, never used by envc). @linode/kubeseal-encrypt always uses the
 * namespace as label, so it can only seal namespace-wide; strict scope is written here with node:crypto in the
 * same format (docs/adr/0005-sealing-scope.md). envc never holds the controller's private key: values leave the
 * process sealed, and the plaintext is dropped as soon as it is sealed.
 */

import {
  constants,
  createCipheriv,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { ANNOTATION, LABEL } from '../compiler/emitters/kubernetes/platform.js';

export type SealingScope = 'strict' | 'namespace-wide';

/** Annotations the Sealed Secrets controller reads to decide which label it decrypts with. */
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** Rotation metadata envc keeps on each SealedSecret (and copies into the store). */
// The same keys the Kubernetes emitter writes on its placeholders and tells ArgoCD to ignore (platform.ts).
export const ROTATED_AT_ANNOTATION = ANNOTATION.rotatedAt;
export const ROTATED_BY_ANNOTATION = ANNOTATION.rotatedBy;
export const NEXT_DUE_ANNOTATION = ANNOTATION.nextDue;
export const MANAGED_BY_LABEL = LABEL.managedBy;
export const SECRET_NAME_LABEL = LABEL.secret;

/** The OAEP label for a scope: what the controller must reproduce to unwrap the session key. */
export function sealingLabel(scope: SealingScope, namespace: string, name: string): string {
  return scope === 'strict' ? `${namespace}/${name}` : namespace;
}

/**
 * The controller publishes an X.509 certificate (`/v1/cert.pem`); the encryption needs its public key.
 * Accepts either a certificate or a public-key PEM and returns an SPKI PEM (what @linode/kubeseal-encrypt takes).
 */
export function publicKeyFromCertificate(pem: string): string {
  if (pem.includes('BEGIN CERTIFICATE')) {
    return new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
  return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
}

/** Strict-scope (or any label) hybrid encryption with node:crypto; returns base64 like kubeseal. */
export function hybridEncrypt(publicKeyPem: string, label: string, plaintext: Buffer): string {
  const sessionKey = randomBytes(32);
  try {
    const wrapped = publicEncrypt(
      {
        key: publicKeyPem,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: Buffer.from(label, 'utf8'),
      },
      sessionKey,
    );
    // A zero nonce is what sealed-secrets itself uses: every value gets a fresh random session key, so a
    // (key, nonce) pair is never reused.
    const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(wrapped.length, 0);
    return Buffer.concat([len, wrapped, body]).toString('base64');
  } finally {
    sessionKey.fill(0);
  }
}

export interface SealRequest {
  /** The controller's certificate (or public key) PEM. */
  certificate: string;
  namespace: string;
  name: string;
  scope: SealingScope;
  value: string;
}

/** Seals one value. Namespace-wide goes through @linode/kubeseal-encrypt; strict through `hybridEncrypt`. */
export async function sealValue(req: SealRequest): Promise<string> {
  const publicKey = publicKeyFromCertificate(req.certificate);
  if (req.scope === 'namespace-wide') {
    const { encryptSecretItem } = await import('@linode/kubeseal-encrypt');
    return encryptSecretItem(publicKey, req.namespace, req.value);
  }
  return hybridEncrypt(
    publicKey,
    sealingLabel('strict', req.namespace, req.name),
    Buffer.from(req.value, 'utf8'),
  );
}

export interface SealedSecretObject {
  apiVersion: 'bitnami.com/v1alpha1';
  kind: 'SealedSecret';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    encryptedData: Record<string, string>;
    template: {
      metadata: {
        name: string;
        namespace: string;
        labels: Record<string, string>;
        annotations?: Record<string, string>;
      };
      type: string;
    };
  };
}

export interface BuildSealedSecret {
  certificate: string;
  namespace: string;
  name: string;
  scope: SealingScope;
  /** Secret keys → plaintext values. Sealed one by one; nothing of it is kept. */
  data: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A complete SealedSecret (validated against @kubernetes-models/sealed-secrets) holding only sealed values.
 * Keys are sorted so two seals of the same secret differ only in ciphertext.
 */
export async function buildSealedSecret(b: BuildSealedSecret): Promise<SealedSecretObject> {
  const encryptedData = await sealData(b);
  const labels = { [MANAGED_BY_LABEL]: 'envc', [SECRET_NAME_LABEL]: b.name, ...(b.labels ?? {}) };
  const annotations: Record<string, string> = { ...(b.annotations ?? {}) };
  if (b.scope === 'namespace-wide') annotations[NAMESPACE_WIDE_ANNOTATION] = 'true';
  const obj: SealedSecretObject = {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: b.name, namespace: b.namespace, labels, annotations },
    spec: {
      encryptedData,
      template: { metadata: { name: b.name, namespace: b.namespace, labels: { ...labels } }, type: 'Opaque' },
    },
  };
  await validateSealedSecret(obj);
  return obj;
}

/** Seals every key of `data` for one SealedSecret (sorted keys); the plaintext is not kept. */
export async function sealData(
  b: Omit<BuildSealedSecret, 'labels' | 'annotations'>,
): Promise<Record<string, string>> {
  const encryptedData: Record<string, string> = {};
  for (const key of Object.keys(b.data).sort()) {
    encryptedData[key] = await sealValue({
      certificate: b.certificate,
      namespace: b.namespace,
      name: b.name,
      scope: b.scope,
      value: b.data[key] as string,
    });
  }
  return encryptedData;
}

/** Throws when the object is not a valid SealedSecret (schema from @kubernetes-models/sealed-secrets). */
export async function validateSealedSecret(obj: unknown): Promise<void> {
  const { SealedSecret } = await import(
    '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret'
  );
  // biome-ignore lint/suspicious/noExplicitAny: the model constructor takes its own ModelData type
  new SealedSecret(obj as any).validate();
}
