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
      'data/redis-credentials',
      'team-a/redis-credentials',
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
      'redis-credentials',
      'redis-credentials',
      'session-key',
    ]);
    expect(files.find((f) => f.path === 'kubernetes/system/sealed-secrets.yaml')).toBeUndefined();
  });

  it('declares the Redis password itself: one placeholder where Redis runs and one per namespace using it', async () => {
    const { all } = await emitDefault();
    for (const env of ['development', 'staging', 'production']) {
      const redis = (all('SealedSecret', env) as unknown as Sealed[]).filter(
        (s) => s.metadata.name === 'redis-credentials',
      );
      expect(redis.map((s) => s.metadata.namespace)).toEqual(['data', 'team-a']);
      for (const s of redis) {
        expect(s.spec.encryptedData).toEqual({});
        // Exactly the key the Redis values read (auth.existingSecretPasswordKey) and rotation seals.
        expect(s.metadata.annotations).toMatchObject({
          'envc.io/keys': 'password',
          'envc.io/secret-source': 'generated',
          'envc.io/rotate-every': '90d',
        });
      }
    }
    // system declares no Redis: no Redis secret.
    expect(all('SealedSecret', 'system')).toEqual([]);
    // Without any service using Redis, Redis' own namespace still gets it (its pods read it).
    const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
    spec.services[0]!.dataServices = ['postgres'];
    const model = await modelFromSpec(spec);
    const dev = model.environments.find((e) => e.name === 'development')!;
    expect(dev.secrets.find((s) => s.name === 'redis-credentials')).toMatchObject({
      namespaces: ['data'],
      usedBy: [],
      key: 'password',
    });
  });

  it('reserves the Redis password name where Redis runs (ENVC1215, at the clashing secret)', async () => {
    const spec = defaultSpecObject() as { secrets: Array<Record<string, unknown>> };
    spec.secrets.push({
      name: 'redis-credentials',
      source: 'generated',
      rotateEvery: '30d',
      environments: ['development'],
    });
    await expect(modelFromSpec(spec)).rejects.toThrow(/ENVC1215.*"redis-credentials" is reserved/s);
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
