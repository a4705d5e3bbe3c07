/**
 * The local Linode API must answer like API v4: error envelope, 404/405/401, pagination bounds and the
 * payload checks of @linode/validation plus the documented bucket_access rules. Sent raw, no client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLinode, startFakeLinode } from './linode-api.js';

let l: FakeLinode;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${l.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${l.token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON answers, read field by field in the tests
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

beforeAll(async () => {
  l = await startFakeLinode();
  l.addBucket('us-ord', 'assets');
});
afterAll(() => l.close());

describe('fake Linode API v4 contract', () => {
  it('answers errors in the {errors: [{reason, field}]} envelope', async () => {
    expect(await call('GET', '/v4/object-storage/keys/999')).toEqual({
      status: 404,
      body: { errors: [{ reason: 'Not found' }] },
    });
    expect((await call('GET', '/v4/nowhere')).status).toBe(404);
    expect((await call('PATCH', '/v4/object-storage/keys')).status).toBe(405);
    const r = await fetch(`${l.url}/v4/object-storage/keys`);
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ errors: [{ reason: 'Invalid Token' }] });
  });

  it('checks key payloads with @linode/validation and the bucket_access rules', async () => {
    const noLabel = await call('POST', '/v4/object-storage/keys', { bucket_access: [] });
    expect(noLabel.status).toBe(400);
    expect(noLabel.body.errors).toContainEqual({ reason: 'Label is required.', field: 'label' });
    const badAccess = await call('POST', '/v4/object-storage/keys', {
      label: 'k1',
      bucket_access: [
        { bucket_name: 'assets', region: 'us-ord', permissions: 'admin' },
        { bucket_name: 'ghost', region: 'us-ord', permissions: 'read_only' },
      ],
    });
    expect(badAccess.status).toBe(400);
    expect(badAccess.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'label',
      'bucket_access[0].permissions',
      'bucket_access[1].bucket_name',
    ]);
    const ok = await call('POST', '/v4/object-storage/keys', {
      label: 'good-key',
      bucket_access: [{ bucket_name: 'assets', region: 'us-ord', permissions: 'read_only' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.secret_key).toMatch(/^[\w-]{20,}$/);
    expect(ok.body.limited).toBe(true);
    // Listed keys never show the secret again.
    const list = await call('GET', '/v4/object-storage/keys');
    expect(list.body.data.find((k: { id: number }) => k.id === ok.body.id).secret_key).toBe('[REDACTED]');
  });

  it('pages lists (page_size 25..500) and filters with X-Filter', async () => {
    for (let i = 0; i < 30; i++) l.addCluster({ label: `c-${i}`, kubeconfig: 'x' });
    const p1 = await call('GET', '/v4beta/lke/clusters?page_size=25');
    expect(p1.body).toMatchObject({ page: 1, pages: 2, results: 30 });
    expect(p1.body.data).toHaveLength(25);
    const p2 = await call('GET', '/v4beta/lke/clusters?page_size=25&page=2');
    expect(p2.body.data).toHaveLength(5);
    expect((await call('GET', '/v4beta/lke/clusters?page_size=10')).status).toBe(400);
    const f = await call('GET', '/v4beta/lke/clusters', undefined, {
      'x-filter': JSON.stringify({ label: 'c-7' }),
    });
    expect(f.body.data.map((c: { label: string }) => c.label)).toEqual(['c-7']);
  });

  it('resets database credentials only while the database is active', async () => {
    const db = l.addDatabase({ label: 'pg', status: 'resuming' });
    expect((await call('POST', `/v4/databases/postgresql/instances/${db.id}/credentials/reset`)).status).toBe(
      400,
    );
    expect((await call('POST', `/v4/databases/mysql/instances/${db.id}/credentials/reset`)).status).toBe(404);
  });
});
