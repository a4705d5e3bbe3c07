import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { acquireFileLock, hasWaiters } from './file-lock.js';
import { migrate } from './migrate.js';
import type { Db, Sql } from './sql.js';
import { processJobLocks, sqlStore } from './sql-store.js';
import type { Store } from './types.js';

export interface PgliteStoreOptions {
  /** Close the database (and free the directory for other processes) after this long without queries. */
  idleMs?: number;
  /** How long to wait for another process to free the directory. */
  waitMs?: number;
  /** A `dumpDataDir()` tarball to start from when the directory is new (tests: skips the 3–5 s initdb). */
  snapshot?: Blob;
}

/**
 * PGlite is one process's database at a time. So that two envc processes (an `apply --wait` and an
 * `approvals approve`, or two applies racing for one environment's lock) can both use the default store,
 * the directory is opened on demand under a lock file and closed again after a short idle time. Queries of
 * one process share one open instance; PGlite serializes them.
 */
export async function openPgliteStore(dir: string, opts: PgliteStoreOptions = {}): Promise<Store> {
  const db = new PgliteDb(dir, {
    idleMs: opts.idleMs ?? Number(process.env.ENVC_STORE_IDLE_MS ?? 1500),
    waitMs: opts.waitMs ?? Number(process.env.ENVC_STORE_WAIT_MS ?? 120_000),
    snapshot: opts.snapshot,
  });
  // Open once now so a broken directory fails here, with migrations applied, not in the middle of an apply.
  await db.query('select 1');
  return sqlStore(db, 'pglite', processJobLocks());
}

interface Settings {
  idleMs: number;
  waitMs: number;
  snapshot: Blob | undefined;
}

class PgliteDb implements Db {
  readonly dialect = 'postgres' as const;
  private opening: Promise<{ pg: PGlite; unlock: () => void }> | undefined;
  private closing: Promise<void> = Promise.resolve();
  private active = 0;
  private idle: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly settings: Settings,
  ) {}

  query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return this.use(async (pg) => (await pg.query<T>(text, params)).rows);
  }

  exec(text: string): Promise<void> {
    return this.use(async (pg) => {
      await pg.exec(text);
    });
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.use((pg) =>
      pg.transaction(async (tx) =>
        fn({
          dialect: 'postgres',
          query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
          exec: async (text: string) => {
            await tx.exec(text);
          },
        }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idle);
    await this.shutdown();
  }

  private async use<T>(fn: (pg: PGlite) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`the store at ${this.dir} is closed`);
    this.active++;
    clearTimeout(this.idle);
    try {
      if (!this.opening) this.opening = this.open();
      const { pg } = await this.opening.catch((err: unknown) => {
        this.opening = undefined;
        throw err;
      });
      return await fn(pg);
    } finally {
      this.active--;
      if (this.active === 0 && !this.closed) {
        // Another envc process waits for the directory (e.g. an apply holding an environment lock needs to
        // heartbeat while we poll for that lock): hand it over now rather than after the idle time.
        if (hasWaiters(`${this.dir}.lock`)) void this.shutdown();
        else this.idle = setTimeout(() => void this.shutdown(), this.settings.idleMs);
      }
    }
  }

  private async open(): Promise<{ pg: PGlite; unlock: () => void }> {
    await this.closing;
    mkdirSync(dirname(this.dir), { recursive: true });
    const unlock = await acquireFileLock(`${this.dir}.lock`, { waitMs: this.settings.waitMs });
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      const fresh = !existsSync(this.dir) || readdirSync(this.dir).length === 0;
      const pg =
        fresh && this.settings.snapshot
          ? await PGlite.create({ dataDir: this.dir, loadDataDir: this.settings.snapshot })
          : await PGlite.create({ dataDir: this.dir });
      await migrate(directDb(pg), { advisoryLock: false });
      return { pg, unlock };
    } catch (err) {
      unlock();
      throw err;
    }
  }

  private shutdown(): Promise<void> {
    const opening = this.opening;
    if (!opening || this.active > 0) return this.closing;
    this.opening = undefined;
    this.closing = (async () => {
      try {
        const { pg, unlock } = await opening;
        try {
          await pg.close();
        } finally {
          unlock();
        }
      } catch {
        // opening failed: nothing to close, and the error went to the query that triggered it
      }
    })();
    return this.closing;
  }
}

/** A Db over an open PGlite, for migrations run while opening (before the on-demand wrapper is usable). */
function directDb(pg: PGlite): Db {
  return {
    dialect: 'postgres',
    query: async <T>(text: string, params?: unknown[]) => (await pg.query<T>(text, params)).rows,
    exec: async (text) => {
      await pg.exec(text);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          dialect: 'postgres',
          query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
          exec: async (text) => {
            await tx.exec(text);
          },
        }),
      ),
    close: () => pg.close(),
  };
}
