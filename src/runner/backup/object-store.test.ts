/** The S3 client against the local S3-compatible server (which verifies SigV4 like the real service). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../../test/support/s3-server.js';
import { s3Credentials, s3ObjectStore } from './object-store.js';

describe('S3 object store', () => {
  let s3: FakeS3;
  beforeAll(async () => {
    s3 = await startFakeS3({ buckets: ['envc-backups'] });
  });
  afterAll(async () => s3?.close());

  const client = (over: { secretAccessKey?: string; accessKeyId?: string; bucket?: string } = {}) =>
    s3ObjectStore({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: over.bucket ?? 'envc-backups',
      accessKeyId: over.accessKeyId ?? s3.accessKeyId,
      secretAccessKey: over.secretAccessKey ?? s3.secretAccessKey,
      forcePathStyle: true,
    });

  it('puts, heads, gets and lists with metadata (keys with spaces and slashes too)', async () => {
    const c = await client();
    await c.put('envc/backups/prod/a b+c.tfstate', '{"serial":1}', {
      serial: '1',
      lineage: 'L',
      'created-by': 'U1',
    });
    expect(await c.head('envc/backups/prod/a b+c.tfstate')).toEqual({
      serial: '1',
      lineage: 'L',
      'created-by': 'U1',
    });
    expect(await c.get('envc/backups/prod/a b+c.tfstate')).toEqual({
      body: '{"serial":1}',
      metadata: { serial: '1', lineage: 'L', 'created-by': 'U1' },
    });
    expect(s3.buckets.get('envc-backups')?.get('envc/backups/prod/a b+c.tfstate')?.contentType).toBe(
      'application/json',
    );
    expect(await c.get('envc/backups/prod/missing')).toBeUndefined();
    expect(await c.head('envc/backups/prod/missing')).toBeUndefined();
  });

  it('lists across pages (continuation tokens) and filters by prefix', async () => {
    const c = await client();
    const bucket = s3.buckets.get('envc-backups')!;
    for (let i = 0; i < 1005; i++)
      bucket.set(`many/${String(i).padStart(4, '0')}`, {
        body: Buffer.from('x'),
        metadata: {},
        contentType: 'text/plain',
        etag: '"x"',
        lastModified: new Date(),
      });
    const all = await c.list('many/');
    expect(all).toHaveLength(1005);
    expect(all[1004]?.key).toBe('many/1004');
    expect(s3.log.filter((l) => l.includes('list-type=2') && l.includes('continuation-token')).length).toBe(
      1,
    );
    expect(await c.list('nothing-here/')).toEqual([]);
  });

  it('is refused with a wrong secret, an unknown key id, or an unknown bucket', async () => {
    await expect((await client({ secretAccessKey: 'wrong' })).put('k', 'v', {})).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    await expect((await client({ accessKeyId: 'AKIDNOPE' })).get('k')).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    await expect((await client({ bucket: 'nope' })).list('')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(s3.buckets.get('envc-backups')?.has('k')).toBe(false);
  });

  it('the server rejects unsigned requests like S3 does', async () => {
    const r = await fetch(`${s3.endpoint}/envc-backups/k`, { method: 'PUT', body: 'x' });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('takes credentials from the environment only', () => {
    expect(s3Credentials({ LINODE_OBJ_ACCESS_KEY: 'a', LINODE_OBJ_SECRET_KEY: 'b' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(s3Credentials({ AWS_ACCESS_KEY_ID: 'c', AWS_SECRET_ACCESS_KEY: 'd' })).toEqual({
      accessKeyId: 'c',
      secretAccessKey: 'd',
    });
    expect(s3Credentials({ AWS_ACCESS_KEY_ID: 'c' })).toBeUndefined();
  });
});
