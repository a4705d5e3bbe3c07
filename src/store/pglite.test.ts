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
