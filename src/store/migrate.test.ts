import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, pgliteSnapshot, postgresSkipReason } from '../../test/support/store.js';
import { appliedVersions, migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Db } from './sql.js';

function pgliteDb(pg: PGlite): Db {
  return {
    query: async <T>(t: string, p?: unknown[]) => (await pg.query<T>(t, p)).rows,
    exec: async (t) => {
      await pg.exec(t);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: async <T>(t: string, p?: unknown[]) => (await tx.query<T>(t, p)).rows,
          exec: async (t) => {
            await tx.exec(t);
          },
        }),
      ),
    close: () => pg.close(),
  };
}

const extra = [
  ...migrations,
  { version: 900, name: 'add-x', sql: 'create table x_test (id int primary key);' },
  { version: 901, name: 'broken', sql: 'create table y_test (id int); select * from no_such_table;' },
];

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
      const dbOf = (pool: InstanceType<typeof pg.Pool>): Db => ({
        query: async <T>(t: string, p?: unknown[]) => (await pool.query(t, p as unknown[])).rows as T[],
        exec: async (t) => {
          await pool.query(t);
        },
        transaction: async (fn) => {
          const c = await pool.connect();
          try {
            await c.query('begin');
            const out = await fn({
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
      });
      const more = [
        ...migrations,
        { version: 900, name: 'add-x', sql: 'create table x_test (id int primary key);' },
      ];
      const results = await Promise.all(
        pools.map((p) => migrate(dbOf(p), { advisoryLock: true, migrations: more })),
      );
      expect(results.flat()).toEqual([900]);
      expect(await appliedVersions(dbOf(pools[0]!))).toEqual([...migrations.map((m) => m.version), 900]);
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await store.close();
      await drop();
    }
  });
});
