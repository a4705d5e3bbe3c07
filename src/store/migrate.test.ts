import { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshSchemaName,
  openTestPostgres,
  pgliteSnapshot,
  postgresSkipReason,
} from '../../test/support/store.js';
import { appliedVersions, migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Db } from './sql.js';
import { openSqliteDb, sqliteAvailable } from './sqlite.js';

function pgliteDb(pg: PGlite): Db {
  return {
    dialect: 'postgres',
    query: async <T>(t: string, p?: unknown[]) => (await pg.query<T>(t, p)).rows,
    exec: async (t) => {
      await pg.exec(t);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          dialect: 'postgres',
          query: async <T>(t: string, p?: unknown[]) => (await tx.query<T>(t, p)).rows,
          exec: async (t) => {
            await tx.exec(t);
          },
        }),
      ),
    close: () => pg.close(),
  };
}

/** A Db over a pg pool (what postgres.ts does, minus envc's schema setup and migrations). */
function poolDb(pool: Pool): Db {
  return {
    dialect: 'postgres',
    query: async <T>(t: string, p?: unknown[]) => (await pool.query(t, p as unknown[])).rows as T[],
    exec: async (t) => {
      await pool.query(t);
    },
    transaction: async (fn) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        const out = await fn({
          dialect: 'postgres',
          query: async <T>(t: string, p?: unknown[]) => (await c.query(t, p as unknown[])).rows as T[],
          exec: async (t) => {
            await c.query(t);
          },
        });
        await c.query('commit');
        return out;
      } catch (e) {
        await c.query('rollback');
        throw e;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

const addX = 'create table x_test (id int primary key);';
const broken = 'create table y_test (id int); select * from no_such_table;';
const extra = [
  ...migrations,
  { version: 900, name: 'add-x', sql: addX, sqlite: addX },
  { version: 901, name: 'broken', sql: broken, sqlite: broken },
];

/**
 * Migration 3 carries old rows into the approval lifecycle: "applied" meant "approvals consumed", so it
 * stays applied only where the plan was applied; an expiry the bot announced becomes `expired`; duplicate
 * live requests of one digest are cut to the newest. Then migration 4 moves revisions out of summaries.
 */
async function legacyRowsMigrate(db: Db): Promise<void> {
  await migrate(db, { advisoryLock: false, migrations: migrations.filter((m) => m.version <= 2) });
  const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s)).toISOString();
  const req = (id: string, digest: string, status: string, created: number) =>
    db.query(
      `insert into approval_requests (id, env, digest, requester, status, created_at, expires_at)
       values ($1, 'prod', $2, 'U1', $3, $4, $5)`,
      [id, digest, status, t(created), t(3600)],
    );
  const plan = (id: string, digest: string, appliedAt: string | null, summary: object) =>
    db.query(
      `insert into plans (id, env, digest, summary, plan_path, created_by, created_at, applied_at, applied_by)
       values ($1, 'prod', $2, $3::jsonb, '/p', 'U1', $4, $5, $6)`,
      [id, digest, JSON.stringify(summary), t(0), appliedAt, appliedAt ? 'ci:x' : null],
    );
  await plan('pln_a', 'applied-ok', t(50), { revision: 'abc123' });
  await plan('pln_b', 'applied-lost', null, { revision: 'unknown' });
  await req('req_a', 'applied-ok', 'applied', 1);
  await req('req_b', 'applied-lost', 'applied', 2);
  await req('req_c', 'announced', 'pending', 3);
  await db.query(`insert into slack_requests (key, at) values ('expired:prod:announced', $1)`, [t(4)]);
  await req('req_d1', 'twice', 'approved', 5);
  await req('req_d2', 'twice', 'pending', 6);
  await migrate(db, { advisoryLock: false });
  const rows = await db.query<{
    id: string;
    status: string;
    applied_by: string | null;
    error: string | null;
  }>('select id, status, applied_by, error from approval_requests order by id');
  expect(rows.map((r) => [r.id, r.status])).toEqual([
    ['req_a', 'applied'],
    ['req_b', 'failed'],
    ['req_c', 'expired'],
    ['req_d1', 'superseded'],
    ['req_d2', 'pending'],
  ]);
  expect(rows[0]?.applied_by).toBe('ci:x');
  expect(rows[1]?.error).toMatch(/not recorded/);
  const revisions = await db.query<{ id: string; revision: string | null }>(
    'select id, revision from plans order by id',
  );
  expect(revisions).toEqual([
    { id: 'pln_a', revision: 'abc123' },
    { id: 'pln_b', revision: null },
  ]);
  // The new index holds: a second live request of one digest is refused by the database itself.
  await expect(req('req_d3', 'twice', 'approved', 7)).rejects.toThrow(
    db.dialect === 'sqlite'
      ? /UNIQUE constraint failed: approval_requests\.env, approval_requests\.digest/
      : /approval_requests_one_live/,
  );
}

describe('migrations (PGlite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = pgliteDb(await PGlite.create({ loadDataDir: await pgliteSnapshot() }));
  });
  afterAll(async () => db?.close());

  it('the snapshot carries every shipped migration and re-running applies nothing', async () => {
    expect(await appliedVersions(db)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(db, { advisoryLock: false })).toEqual([]);
  });

  it('applies in order; a failing migration rolls back whole and keeps the earlier ones', async () => {
    await expect(migrate(db, { advisoryLock: false, migrations: extra })).rejects.toThrow(/no_such_table/);
    expect(await appliedVersions(db)).toEqual([...migrations.map((m) => m.version), 900]);
    expect(await db.query("select to_regclass('x_test')::text as t")).toEqual([{ t: 'x_test' }]);
    // The broken migration's first statement did not survive its rollback.
    expect(await db.query("select to_regclass('y_test')::text as t")).toEqual([{ t: null }]);
  });

  // Carrying old rows is tested on SQLite and PostgreSQL below: PGlite runs PostgreSQL's SQL, and a fresh
  // (unmigrated) PGlite costs 3–40 s to create on a loaded machine.
});

const sqliteSkip = (await sqliteAvailable())
  ? undefined
  : `node:sqlite needs Node >= 22.5 (${process.version})`;
describe.skipIf(sqliteSkip)('migrations (SQLite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openSqliteDb(':memory:');
  });
  afterAll(async () => db?.close());

  it('a fresh database gets every shipped migration once; re-running applies nothing', async () => {
    expect(await migrate(db, { advisoryLock: false })).toEqual(migrations.map((m) => m.version));
    expect(await migrate(db, { advisoryLock: false })).toEqual([]);
  });

  it('applies in order; a failing migration rolls back whole and keeps the earlier ones', async () => {
    await expect(migrate(db, { advisoryLock: false, migrations: extra })).rejects.toThrow(/no_such_table/);
    expect(await appliedVersions(db)).toEqual([...migrations.map((m) => m.version), 900]);
    const tables = await db.query<{ name: string }>(
      "select name from sqlite_master where type = 'table' and name in ('x_test', 'y_test')",
    );
    // The broken migration's first statement did not survive its rollback.
    expect(tables.map((t) => t.name)).toEqual(['x_test']);
  });

  it('carries approval requests and plan revisions of an older schema into the lifecycle', async () => {
    const fresh = await openSqliteDb(':memory:');
    try {
      await legacyRowsMigrate(fresh);
    } finally {
      await fresh.close();
    }
  });
});

const pgSkip = postgresSkipReason();
describe.skipIf(pgSkip)('migrations (PostgreSQL)', () => {
  it('concurrent migrators on a fresh schema apply each migration exactly once', async () => {
    const { store, schema, drop } = await openTestPostgres();
    try {
      const pg = (await import('pg')).default;
      const url = process.env.ENVC_TEST_POSTGRES_URL!;
      const pools = [0, 1, 2].map(
        () => new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` }),
      );
      const more = [...migrations, { version: 900, name: 'add-x', sql: addX, sqlite: addX }];
      const results = await Promise.all(
        pools.map((p) => migrate(poolDb(p), { advisoryLock: true, migrations: more })),
      );
      expect(results.flat()).toEqual([900]);
      expect(await appliedVersions(poolDb(pools[0]!))).toEqual([...migrations.map((m) => m.version), 900]);
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await store.close();
      await drop();
    }
  });

  it('carries approval requests and plan revisions of an older schema into the lifecycle', async () => {
    const pg = (await import('pg')).default;
    const url = process.env.ENVC_TEST_POSTGRES_URL!;
    const schema = freshSchemaName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
    try {
      await legacyRowsMigrate(poolDb(pool));
    } finally {
      await pool.end();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
