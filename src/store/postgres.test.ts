/** What only PostgreSQL does: several replicas share one store; job locks are cluster-wide advisory locks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresSkipReason } from '../../test/support/store.js';
import { openStore } from './index.js';
import type { Store } from './types.js';

const skip = postgresSkipReason();

describe.skipIf(skip)('PostgreSQL store with two replicas', () => {
  let a: Store;
  let b: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await openTestPostgres();
    a = t.store;
    drop = t.drop;
    // The second replica opens the same schema through ENVC_STORE-style URL parsing (?schema=).
    b = await openStore(`${process.env.ENVC_TEST_POSTGRES_URL}?schema=${t.schema}`);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await drop?.();
  });

  it('a scheduled job runs on one replica at a time (pg_try_advisory_lock)', async () => {
    const held = await a.tryJobLock('drift');
    expect(held).toBeDefined();
    expect(await b.tryJobLock('drift')).toBeUndefined();
    expect(await b.tryJobLock('rotation')).toBeDefined();
    await held!.release();
    const mine = await b.tryJobLock('drift');
    expect(mine).toBeDefined();
    await mine!.release();
  });

  it('a replica that goes away frees its job locks with its connection', async () => {
    const t = await openTestPostgres();
    try {
      const c = await openStore(`${process.env.ENVC_TEST_POSTGRES_URL}?schema=${t.schema}`);
      expect(await c.tryJobLock('probe')).toBeDefined();
      expect(await t.store.tryJobLock('probe')).toBeUndefined();
      await c.close(); // connections closed without unlocking, as when a pod dies
      // The server frees a session's advisory locks when it sees the connection gone (moments later).
      let after = await t.store.tryJobLock('probe');
      for (let i = 0; i < 50 && !after; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await t.store.tryJobLock('probe');
      }
      expect(after).toBeDefined();
      await after!.release();
    } finally {
      await t.store.close();
      await t.drop();
    }
  });

  it("replicas see each other's writes and contend for the same environment lock", async () => {
    await a.audit({ actor: 'a', env: 'x', action: 'from-a' });
    expect((await b.listAudit({ env: 'x' })).map((e) => e.action)).toEqual(['from-a']);
    expect((await a.acquireLock('x', 'replica-a', 60)).acquired).toBe(true);
    expect(await b.acquireLock('x', 'replica-b', 60)).toMatchObject({
      acquired: false,
      lock: { holder: 'replica-a' },
    });
  });
});
