import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgliteSnapshot } from '../../test/support/store.js';
import { openPgliteStore } from './pglite.js';

describe('PGlite store sharing a directory', () => {
  it('closes when idle so another opener of the same directory gets in and sees the rows', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'envc-pgl-')), 'state');
    const snapshot = await pgliteSnapshot();
    const a = await openPgliteStore(dir, { snapshot, idleMs: 100 });
    await a.audit({ actor: 'a', action: 'first' });
    // b waits on the directory lock until a has been idle for 100 ms.
    const b = await openPgliteStore(dir, { snapshot, idleMs: 100, waitMs: 20_000 });
    expect((await b.listAudit({ action: 'first' })).map((e) => e.actor)).toEqual(['a']);
    await b.audit({ actor: 'b', action: 'second' });
    // And back: a reopens transparently.
    expect((await a.listAudit({ action: 'second' })).map((e) => e.actor)).toEqual(['b']);
    await a.close();
    await b.close();
    await expect(a.listAudit()).rejects.toThrow(/closed/);
  });
});

describe('PGlite store handing the directory over', () => {
  it('gives the directory to a waiting opener as soon as it is idle, not after its idle time', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'envc-pgl-')), 'state');
    const snapshot = await pgliteSnapshot();
    // a would keep the directory for a minute if nobody asked.
    const a = await openPgliteStore(dir, { snapshot, idleMs: 60_000 });
    await a.audit({ actor: 'a', action: 'first' });
    const opening = openPgliteStore(dir, { snapshot, idleMs: 60_000, waitMs: 30_000 });
    await new Promise((r) => setTimeout(r, 200)); // b is now waiting for the directory
    // a's next query ends with a waiter present: a closes at once instead of after 60 s, and b gets in.
    await a.audit({ actor: 'a', action: 'second' });
    const b = await opening;
    expect((await b.listAudit({ action: '*' })).map((e) => e.action)).toEqual(['second', 'first']);
    await b.close();
    await a.close();
  }, 40_000);
});
