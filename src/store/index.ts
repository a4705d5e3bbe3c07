import { resolve } from 'node:path';
import type { Store, StoreUrl } from './types.js';

export type * from './types.js';

/** Where the store lives when ENVC_STORE is unset: a PGlite directory under the working tree. */
export const DEFAULT_STORE_DIR = '.envc/state';

export interface OpenStoreOptions {
  /** Base directory for a relative PGlite path (default: process.cwd()). */
  cwd?: string;
  /** PostgreSQL schema to use (tests: one fresh schema per run). Default `public`. */
  schema?: string;
}

/**
 * Opens the store named by `url` (usually `process.env.ENVC_STORE`): undefined → PGlite at `.envc/state/`,
 * `postgres://` or `postgresql://` → PostgreSQL (`?schema=name` for a schema other than public), anything
 * else → a PGlite directory. Migrations run on open.
 * The heavy drivers are imported here, lazily, so commands that do not need the store never load them.
 */
export async function openStore(url?: StoreUrl, opts: OpenStoreOptions = {}): Promise<Store> {
  const target = url === undefined || url === '' ? DEFAULT_STORE_DIR : url;
  if (/^postgres(ql)?:\/\//.test(target)) {
    // `?schema=name` picks envc's schema (several envc installations, or tests, can share one database).
    const u = new URL(target);
    const schema = opts.schema ?? u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(u.toString(), schema === undefined ? {} : { schema });
  }
  const dir = resolve(opts.cwd ?? process.cwd(), target.replace(/^file:\/\//, ''));
  const { openPgliteStore } = await import('./pglite.js');
  return openPgliteStore(dir);
}
