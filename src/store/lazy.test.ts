import { describe, expect, it } from 'vitest';
import { lazyStore } from './lazy.js';
import type { Store } from './types.js';

describe('lazyStore', () => {
  it('waits for the open, then forwards calls with their arguments', async () => {
    let resolve!: (s: Store) => void;
    const calls: unknown[] = [];
    const s = lazyStore(new Promise<Store>((r) => (resolve = r)), 'pglite');
    expect(s.kind).toBe('pglite');
    const pending = s.getLock('production');
    resolve({
      kind: 'pglite',
      getLock: async (env: string) => {
        calls.push(env);
        return undefined;
      },
    } as unknown as Store);
    expect(await pending).toBeUndefined();
    expect(calls).toEqual(['production']);
  });

  it('a failed open fails every call with its error', async () => {
    const s = lazyStore(Promise.reject(new Error('store unreachable')), 'postgres');
    await expect(s.listLocks()).rejects.toThrow('store unreachable');
    await expect(s.close()).rejects.toThrow('store unreachable');
  });
});
