import type { Store } from './types.js';

/**
 * A Store whose back end is still opening: every call waits for the open, so a command can start its slow
 * work (terraform) while PGlite starts (seconds on a loaded machine). An open that fails fails every call.
 */
export function lazyStore(opening: Promise<Store>, kind: Store['kind']): Store {
  // Keep a rejection from being reported as unhandled before the first call awaits it.
  opening.catch(() => {});
  return new Proxy({ kind } as Store, {
    get(target, prop) {
      if (prop === 'kind') return target.kind;
      if (prop === 'then') return undefined; // not a thenable
      return async (...args: unknown[]) => {
        const store = await opening;
        const fn = (store as unknown as Record<string | symbol, unknown>)[prop];
        if (typeof fn !== 'function') throw new Error(`the store has no method ${String(prop)}`);
        return (fn as (...a: unknown[]) => unknown).apply(store, args);
      };
    },
  });
}
