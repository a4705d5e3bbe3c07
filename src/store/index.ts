import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Store, StoreUrl } from './types.js';

export type * from './types.js';

/** Where the store lives when ENVC_STORE is unset: a directory under the working tree. */
export const DEFAULT_STORE_DIR = '.envc/state';

/** The embedded store's file inside a store directory. */
export const SQLITE_FILE = 'envc.sqlite';

export interface OpenStoreOptions {
  /** Base directory for a relative store path (default: process.cwd()). */
  cwd?: string;
  /** PostgreSQL schema to use (tests: one fresh schema per run). Default `public`. */
  schema?: string;
}

export type EmbeddedTarget = { kind: 'sqlite'; file: string } | { kind: 'pglite'; dir: string };

/**
 * Which embedded back end a path means (ADR 0008): `pglite:<dir>`, or a directory that already holds a PGlite
 * database (PG_VERSION), stays PGlite so existing state is kept; `sqlite:<file>` or a path ending in
 * `.sqlite`/`.db` is that SQLite file; any other path is a directory holding `envc.sqlite`.
 */
export function embeddedTarget(path: string, cwd: string): EmbeddedTarget {
  if (path.startsWith('pglite:')) return { kind: 'pglite', dir: resolve(cwd, path.slice('pglite:'.length)) };
  if (path.startsWith('sqlite:')) return { kind: 'sqlite', file: resolve(cwd, path.slice('sqlite:'.length)) };
  const abs = resolve(cwd, path.replace(/^file:\/\//, ''));
  if (/\.(sqlite|db)$/.test(abs) && !(existsSync(abs) && statSync(abs).isDirectory()))
    return { kind: 'sqlite', file: abs };
  if (existsSync(join(abs, 'PG_VERSION'))) return { kind: 'pglite', dir: abs };
  return { kind: 'sqlite', file: join(abs, SQLITE_FILE) };
}

/**
 * Opens the store named by `url` (usually `process.env.ENVC_STORE`): undefined → the embedded store at
 * `.envc/state/`, `postgres://` or `postgresql://` → PostgreSQL (`?schema=name` for a schema other than
 * public), anything else → an embedded store at that path (see `embeddedTarget`). Migrations run on open.
 * Drivers are imported here, lazily, so commands that do not need the store never load them.
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
  const embedded = embeddedTarget(target, opts.cwd ?? process.cwd());
  if (embedded.kind === 'sqlite') {
    const { openSqliteStore, sqliteAvailable } = await import('./sqlite.js');
    if (await sqliteAvailable()) return openSqliteStore(embedded.file);
    // Node < 22.5 has no node:sqlite (engines says >= 22; this keeps an older Node working, slowly).
    if (basename(embedded.file) !== SQLITE_FILE)
      throw new Error(
        `ENVC_STORE=${target} needs node:sqlite (Node 22.5 or later; this is ${process.version})`,
      );
    const { openPgliteStore } = await import('./pglite.js');
    return openPgliteStore(dirname(embedded.file));
  }
  const { openPgliteStore } = await import('./pglite.js');
  return openPgliteStore(embedded.dir);
}
