import { describe, expect, it } from 'vitest';
import { controllerLabel, testSealingKeyPair, unseal } from '../../test/support/kubernetes-api-sealing.js';
import {
  buildSealedSecret,
  hybridEncrypt,
  NAMESPACE_WIDE_ANNOTATION,
  publicKeyFromCertificate,
  sealingLabel,
  sealValue,
  validateSealedSecret,
} from './sealing.js';

const keys = testSealingKeyPair();

describe('sealing', () => {
  it('strict scope decrypts only for its namespace/name', async () => {
    const sealed = await sealValue({
      certificate: keys.certificatePem,
      namespace: 'team-a',
      name: 'objstore-key',
      scope: 'strict',
      value: 's3cr3t-value',
    });
    expect(sealed).not.toContain('s3cr3t');
    expect(unseal(keys.privateKeyPem, 'team-a/objstore-key', sealed)).toBe('s3cr3t-value');
    expect(() => unseal(keys.privateKeyPem, 'team-a/other-secret', sealed)).toThrow();
    expect(() => unseal(keys.privateKeyPem, 'team-b/objstore-key', sealed)).toThrow();
    expect(() => unseal(keys.privateKeyPem, 'team-a', sealed)).toThrow();
    expect(() => unseal(keys.privateKeyPem, '', sealed)).toThrow();
  });

  it('namespace-wide (through @linode/kubeseal-encrypt) decrypts for any name in the namespace, no other', async () => {
    const sealed = await sealValue({
      certificate: keys.certificatePem,
      namespace: 'team-a',
      name: 'objstore-key',
      scope: 'namespace-wide',
      value: 'ns-wide',
    });
    expect(unseal(keys.privateKeyPem, 'team-a', sealed)).toBe('ns-wide');
    expect(() => unseal(keys.privateKeyPem, 'team-a/objstore-key', sealed)).toThrow();
    expect(() => unseal(keys.privateKeyPem, 'team-b', sealed)).toThrow();
  });

  it('writes the same wire format as @linode/kubeseal-encrypt (2-byte length, wrapped key, GCM body + tag)', async () => {
    const { encryptSecretItem } = await import('@linode/kubeseal-encrypt');
    const pub = publicKeyFromCertificate(keys.certificatePem);
    const theirs = Buffer.from(await encryptSecretItem(pub, 'team-a', 'abc'), 'base64');
    const ours = Buffer.from(hybridEncrypt(pub, 'team-a', Buffer.from('abc')), 'base64');
    expect(ours.readUInt16BE(0)).toBe(theirs.readUInt16BE(0));
    expect(ours.readUInt16BE(0)).toBe(256); // 2048-bit key
    expect(ours.length).toBe(theirs.length); // 2 + 256 + 3 + 16
    expect(unseal(keys.privateKeyPem, 'team-a', ours.toString('base64'))).toBe('abc');
  });

  it('labels per scope', () => {
    expect(sealingLabel('strict', 'ns', 'n')).toBe('ns/n');
    expect(sealingLabel('namespace-wide', 'ns', 'n')).toBe('ns');
  });

  it('builds a valid SealedSecret; namespace-wide carries the annotation the controller reads', async () => {
    const strict = await buildSealedSecret({
      certificate: keys.certificatePem,
      namespace: 'team-a',
      name: 'session-key',
      scope: 'strict',
      data: { SESSION_KEY: 'v1', OTHER: 'v2' },
      annotations: { 'envc.io/rotated-by': 'alice' },
    });
    expect(Object.keys(strict.spec.encryptedData)).toEqual(['OTHER', 'SESSION_KEY']);
    expect(strict.metadata.annotations[NAMESPACE_WIDE_ANNOTATION]).toBeUndefined();
    expect(JSON.stringify(strict)).not.toMatch(/"v1"|"v2"/);
    const label = controllerLabel(strict.metadata.annotations, 'team-a', 'session-key');
    expect(unseal(keys.privateKeyPem, label, strict.spec.encryptedData.SESSION_KEY as string)).toBe('v1');

    const wide = await buildSealedSecret({
      certificate: keys.certificatePem,
      namespace: 'team-a',
      name: 'session-key',
      scope: 'namespace-wide',
      data: { SESSION_KEY: 'v1' },
    });
    expect(wide.metadata.annotations[NAMESPACE_WIDE_ANNOTATION]).toBe('true');
    const wideLabel = controllerLabel(wide.metadata.annotations, 'team-a', 'renamed');
    expect(unseal(keys.privateKeyPem, wideLabel, wide.spec.encryptedData.SESSION_KEY as string)).toBe('v1');
  });

  it('rejects an invalid SealedSecret', async () => {
    await expect(
      validateSealedSecret({
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 'x' },
        spec: { encryptedData: { a: 1 } },
      }),
    ).rejects.toThrow(/encryptedData\/a must be string/);
  });
});
