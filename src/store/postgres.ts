import type { Pool, PoolClient } from 'pg';
import { migrate } from './migrate.js';
import type { Db, Sql } from './sql.js';
import { sqlStore } from './sql-store.js';
import type { JobLock, Store } from './types.js';

export interface PostgresStoreOptions {
  /** Schema for envc's tables (created when missing). Tests use one fresh schema per run. */
  schema?: string;
  max?: number;
}

/**
 * PostgreSQL back end: a pg Pool whose connections use envc's schema. Job locks are session advisory
 * locks held on a dedicated connection until released, so a replica that dies frees its jobs at once.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const pg = (await import('pg')).default;
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  const pool: Pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 5,
    options: `-c search_path=${schema}`,
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = poolDb(pool);
  if (schema !== 'public') await db.exec(`create schema if not exists ${schema}`);
  await migrate(db, { advisoryLock: true });
  // Job locks hold a connection each; closing the store drops those connections (freeing the locks, as when
  // a replica dies) so pool.end() does not wait for them forever.
  const held = new Set<PoolClient>();
  const store = sqlStore(db, 'postgres', (name) => tryAdvisory(pool, name, held));
  return {
    ...store,
    close: async () => {
      for (const c of held) c.release(true);
      held.clear();
      await db.close();
    },
  };
}

function clientSql(c: PoolClient): Sql {
  return {
    dialect: 'postgres',
    query: async <T>(text: string, params?: unknown[]) =>
      (await c.query(text, params as unknown[])).rows as T[],
    exec: async (text) => {
      await c.query(text);
    },
  };
}

function poolDb(pool: Pool): Db {
  return {
    dialect: 'postgres',
    query: async <T>(text: string, params?: unknown[]) =>
      (await pool.query(text, params as unknown[])).rows as T[],
    exec: async (text) => {
      await pool.query(text);
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn(clientSql(client));
        await client.query('commit');
        return out;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function tryAdvisory(pool: Pool, name: string, held: Set<PoolClient>): Promise<JobLock | undefined> {
  const client = await pool.connect();
  try {
    const res = await client.query<{ ok: boolean }>(
      "select pg_try_advisory_lock(hashtextextended('envc:job:' || $1, 0)) as ok",
      [name],
    );
    if (res.rows[0]?.ok !== true) {
      client.release();
      return undefined;
    }
  } catch (err) {
    client.release();
    throw err;
  }
  held.add(client);
  return {
    name,
    release: async () => {
      if (!held.delete(client)) return; // released already, or the store was closed
      try {
        await client.query("select pg_advisory_unlock(hashtextextended('envc:job:' || $1, 0))", [name]);
      } finally {
        client.release();
      }
    },
  };
}
