import { describe, expect, it } from 'vitest';
import { defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { emitDefault, emitModel } from './test-helpers.js';

type Sealed = {
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: {
    encryptedData: Record<string, string>;
    template: { metadata: { annotations?: Record<string, string> }; type: string };
  };
};

describe('sealed secrets', () => {
  it('places one placeholder per secret and namespace, with rotation metadata and no value', async () => {
    const { all, files } = await emitDefault();
    const prod = all('SealedSecret', 'production') as unknown as Sealed[];
    expect(prod.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual([
      'team-a/app-db',
      'team-a/objstore-key',
      'team-a/session-key',
    ]);
    const key = prod.find((s) => s.metadata.name === 'objstore-key')!;
    expect(key.spec.encryptedData).toEqual({});
    expect(key.metadata.annotations).toMatchObject({
      'envc.io/secret-source': 'linode-object-storage-key',
      'envc.io/rotate-every': '30d',
      'envc.io/grace-period': '1d',
      'envc.io/keys': 'access_key,bucket,endpoint,secret_key',
      'envc.io/used-by': 'sample-service',
    });
    expect(
      prod.find((s) => s.metadata.name === 'app-db')!.metadata.annotations['envc.io/grace-period'],
    ).toBeUndefined();
    // Strict scope is the default: no namespace-wide annotation.
    expect(key.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBeUndefined();
    // Development has no app-db.
    expect((all('SealedSecret', 'development') as unknown as Sealed[]).map((s) => s.metadata.name)).toEqual([
      'objstore-key',
      'session-key',
    ]);
    expect(files.find((f) => f.path === 'kubernetes/system/sealed-secrets.yaml')).toBeUndefined();
  });

  it('marks namespace-wide secrets on the object and its template', async () => {
    const spec = defaultSpecObject() as { secrets: Array<Record<string, unknown>> };
    spec.secrets[2]!.scope = 'namespace-wide';
    const { all } = await emitModel(await modelFromSpec(spec));
    const s = (all('SealedSecret', 'staging') as unknown as Sealed[]).find(
      (x) => x.metadata.name === 'session-key',
    )!;
    expect(s.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    expect(s.spec.template.metadata.annotations).toEqual({
      'sealedsecrets.bitnami.com/namespace-wide': 'true',
    });
  });
});
