import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLinode, startFakeLinode } from '../../test/support/linode-api.js';
import { createLinodeApi, type LinodeApi, LinodeApiError, linodeApiFromEnv } from './linode.js';

let fake: FakeLinode;
let api: LinodeApi;

beforeAll(async () => {
  fake = await startFakeLinode();
  fake.addBucket('us-ord', 'acme-production-assets');
  api = await createLinodeApi({ token: fake.token, apiUrl: fake.url });
});
afterAll(() => fake.close());

describe('linode integration against the fake API v4', () => {
  it('creates an object storage key limited to a bucket and revokes it', async () => {
    const key = await api.createObjectStorageKey({
      label: 'envc-production-objstore-key',
      bucketAccess: [{ bucket: 'acme-production-assets', region: 'us-ord', permissions: 'read_write' }],
    });
    expect(fake.keyWorks(key.accessKey, key.secretKey)).toBe(true);
    const post = fake.requests.find((r) => r.method === 'POST' && r.path === '/v4/object-storage/keys');
    expect(post?.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(JSON.parse(post?.body ?? '{}').bucket_access).toEqual([
      {
        bucket_name: 'acme-production-assets',
        region: 'us-ord',
        cluster: 'us-ord-1',
        permissions: 'read_write',
      },
    ]);
    const listed = await api.listObjectStorageKeys();
    expect(listed.map((k) => k.id)).toContain(key.id);
    expect(await api.revokeObjectStorageKey(key.id)).toBe(true);
    expect(fake.keyWorks(key.accessKey, key.secretKey)).toBe(false);
    expect(await api.revokeObjectStorageKey(key.id)).toBe(false); // 404: already gone
  });

  it('surfaces the API error envelope (bucket not found) as LinodeApiError without the payload', async () => {
    const err = await api
      .createObjectStorageKey({
        label: 'envc-x',
        bucketAccess: [{ bucket: 'nope', region: 'us-ord', permissions: 'read_only' }],
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(LinodeApiError);
    expect(err.status).toBe(400);
    expect(err.reasons[0].field).toBe('bucket_access[0].bucket_name');
  });

  it('rejects an invalid label client-side with @linode/validation reasons', async () => {
    const err = await api.createObjectStorageKey({ label: 'ab', bucketAccess: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(LinodeApiError);
    expect(err.status).toBeUndefined();
    expect(err.message).toContain('Label must be between 3 and 50 characters');
  });

  it('resets managed database credentials: the old password stops working', async () => {
    const db = fake.addDatabase({ label: 'acme-production-pg' });
    const ref = await api.findDatabase('postgresql', 'acme-production-pg');
    expect(ref).toMatchObject({ id: db.id, port: 5432 });
    const creds = await api.resetDatabaseCredentials(ref!);
    expect(creds.password).not.toBe(db.password);
    expect(fake.passwordWorks('acme-production-pg', db.username, db.password)).toBe(false);
    expect(fake.passwordWorks('acme-production-pg', creds.username, creds.password)).toBe(true);
    expect(
      fake.requests.some(
        (r) => r.method === 'POST' && r.path.endsWith(`/instances/${db.id}/credentials/reset`),
      ),
    ).toBe(true);
    expect(await api.findDatabase('postgresql', 'missing')).toBeUndefined();
  });

  it('pages through lists and reads an LKE kubeconfig', async () => {
    for (let i = 0; i < 30; i++) fake.addCluster({ label: `c-${i}`, kubeconfig: `kc-${i}` });
    const target = fake.addCluster({
      label: 'acme-production',
      kubeconfig: 'apiVersion: v1\nkind: Config\n',
    });
    const found = await api.findCluster('acme-production');
    expect(found?.id).toBe(target.id);
    expect(await api.getKubeconfig(target.id)).toBe('apiVersion: v1\nkind: Config\n');
    const err = await api.getKubeconfig(999999).catch((e) => e);
    expect(err.status).toBe(404);
  });

  it('needs a token; a wrong one gets 401', async () => {
    await expect(linodeApiFromEnv({})).rejects.toThrow(/LINODE_TOKEN/);
    const bad = await linodeApiFromEnv({ LINODE_TOKEN: 'wrong', LINODE_API_URL: fake.url });
    const err = await bad.listObjectStorageKeys().catch((e) => e);
    expect(err.status).toBe(401);
    api = await createLinodeApi({ token: fake.token, apiUrl: fake.url });
    expect(Array.isArray(await api.listObjectStorageKeys())).toBe(true);
  });
});
