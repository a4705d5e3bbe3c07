/**
 * Test stores. The embedded store (SQLite through node:sqlite; PGlite where this Node lacks it): a fresh
 * directory per test, opened the way the CLI opens it (`openStore`). PGlite: a data directory dumped once (`dumpDataDir`, migrations applied) and cached under
 * node_modules/.cache, then loaded per test (`loadDataDir`, ~0.4 s instead of a 3–5 s initdb). PostgreSQL:
 * ENVC_TEST_POSTGRES_URL, one fresh schema per store so runs never see each other's rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireFileLock } from '../../src/store/file-lock.js';
import { openStore } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { openPgliteStore } from '../../src/store/pglite.js';
import { sqliteAvailable } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

const CACHE = resolve(import.meta.dirname, '../../node_modules/.cache/envc-test');

function snapshotPath(): string {
  const pgliteVersion = JSON.parse(
    readFileSync(
      resolve(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'),
      'utf8',
    ),
  ).version as string;
  const h = createHash('sha256').update(pgliteVersion);
  for (const m of migrations) h.update(`${m.version}\0${m.sql}\0`);
  return join(CACHE, `pglite-${h.digest('hex').slice(0, 16)}.tgz`);
}

let cached: Blob | undefined;

/** The migrated, empty PGlite data directory as a tarball (made once per machine per schema version). */
export async function pgliteSnapshot(): Promise<Blob> {
  if (cached) return cached;
  const path = snapshotPath();
  if (!existsSync(path)) {
    mkdirSync(CACHE, { recursive: true });
    const unlock = await acquireFileLock(`${path}.lock`, { waitMs: 120_000, pollMs: 200 });
    try {
      if (!existsSync(path)) {
        const { PGlite } = await import('@electric-sql/pglite');
        const dir = mkdtempSync(join(tmpdir(), 'envc-pglite-snap-'));
        const store = await openPgliteStore(dir, { idleMs: 60_000 });
        await store.close();
        const pg = await PGlite.create({ dataDir: dir });
        const blob = await pg.dumpDataDir('gzip');
        await pg.close();
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
        renameSync(tmp, path);
      }
    } finally {
      unlock();
    }
  }
  cached = new Blob([readFileSync(path)]);
  return cached;
}

/**
 * A fresh embedded store in its own temporary directory — the back end `envc` picks for that directory
 * (SQLite; on a Node without node:sqlite, PGlite from the snapshot).
 */
export async function openTestStore(
  dir = join(mkdtempSync(join(tmpdir(), 'envc-store-')), 'state'),
): Promise<{ store: Store; dir: string }> {
  if (!(await sqliteAvailable())) return openTestPglite(dir);
  return { store: await openStore(dir), dir };
}

/** Makes `dir` a ready embedded store (for end-to-end tests that run `envc` with ENVC_STORE=dir). */
export async function prepareStoreDir(dir: string): Promise<void> {
  const { store } = await openTestStore(dir);
  await store.close();
}

/** A fresh PGlite store in its own temporary directory. */
export async function openTestPglite(
  dir = join(mkdtempSync(join(tmpdir(), 'envc-store-')), 'state'),
): Promise<{ store: Store; dir: string }> {
  const store = await openPgliteStore(dir, { snapshot: await pgliteSnapshot(), idleMs: 60_000 });
  return { store, dir };
}

export function postgresUrl(): string | undefined {
  const url = process.env.ENVC_TEST_POSTGRES_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error('ENVC_TEST_POSTGRES_URL is not set but CI=true: .ci/run starts PostgreSQL and sets it');
  }
  return url || undefined;
}

/** Skip reason for PostgreSQL-backed tests (undefined = run them). */
export function postgresSkipReason(): string | undefined {
  return postgresUrl()
    ? undefined
    : `PostgreSQL store tests skipped: ${process.env.ENVC_TEST_POSTGRES_SKIP ?? 'ENVC_TEST_POSTGRES=off'}`;
}

export function freshSchemaName(): string {
  return `envc_t_${randomBytes(6).toString('hex')}`;
}

/** A fresh PostgreSQL store in a new schema; `drop()` removes the schema. */
export async function openTestPostgres(): Promise<{
  store: Store;
  schema: string;
  drop: () => Promise<void>;
}> {
  const url = postgresUrl();
  if (!url) throw new Error('ENVC_TEST_POSTGRES_URL is not set');
  const schema = freshSchemaName();
  const { openPostgresStore } = await import('../../src/store/postgres.js');
  const store = await openPostgresStore(url, { schema });
  return {
    store,
    schema,
    drop: async () => {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.end();
      }
    },
  };
}
