import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/types.js';
import { describeLock, holderName, withEnvLock } from './locks.js';

describe('withEnvLock', () => {
  let store: Store;
  beforeAll(async () => {
    store = (await openTestStore()).store;
  });
  afterAll(async () => store?.close());

  it('holds the lock while working, heartbeats, and releases after', async () => {
    const r = await withEnvLock(store, 'w1', 'ci', { ttlSeconds: 1, waitMs: 0 }, async () => {
      const held = await store.getLock('w1');
      await new Promise((res) => setTimeout(res, 1500)); // longer than the TTL: only heartbeats keep it
      const later = await store.getLock('w1');
      return { held, later };
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.held?.holder).toMatch(/^ci@.+:\d+\/[0-9a-f]{6}$/);
    expect(r.value.later?.holder).toBe(r.value.held?.holder);
    expect(r.value.later!.heartbeatAt.getTime()).toBeGreaterThan(r.value.held!.heartbeatAt.getTime());
    expect(await store.getLock('w1')).toBeUndefined();
  });

  it('refuses with the current holder when it cannot wait, and releases even when the work throws', async () => {
    await store.acquireLock('w2', 'other', 60);
    const r = await withEnvLock(store, 'w2', 'ci', { ttlSeconds: 30, waitMs: 0 }, async () => 'never');
    expect(r).toMatchObject({ ok: false, lock: { holder: 'other' } });
    await store.forceRelease('w2');
    await expect(
      withEnvLock(store, 'w2', 'ci', { ttlSeconds: 30, waitMs: 0 }, async () =>
        Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    expect(await store.getLock('w2')).toBeUndefined();
  });

  it('signals the work when the lock was taken over', async () => {
    const r = await withEnvLock(store, 'w3', 'ci', { ttlSeconds: 1, waitMs: 0 }, async (lost) => {
      await store.forceRelease('w3');
      await store.acquireLock('w3', 'thief', 60);
      await new Promise((res) => setTimeout(res, 2500));
      return lost.aborted;
    });
    expect(r).toEqual({ ok: true, value: true });
    expect((await store.getLock('w3'))?.holder).toBe('thief'); // ours was not released over theirs
  });

  it('names holders and describes locks for people', () => {
    expect(holderName('U1')).toMatch(/^U1@/);
    const since = new Date('2030-01-01T00:00:00Z');
    expect(
      describeLock(
        {
          env: 'e',
          holder: 'h',
          since,
          heartbeatAt: since,
          ttlSeconds: 60,
          expiresAt: new Date(since.getTime() + 60_000),
        },
        since,
      ),
    ).toBe(
      'held by h since 2030-01-01T00:00:00.000Z (last heartbeat 2030-01-01T00:00:00.000Z; expires in 60s without one)',
    );
  });
});
