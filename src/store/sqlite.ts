import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { migrate } from './migrate.js';
import type { Db, Sql } from './sql.js';
import { processJobLocks, sqlStore } from './sql-store.js';
import type { Store } from './types.js';

export interface SqliteStoreOptions {
  /** How long a statement waits for another process's write transaction (SQLite's busy_timeout). */
  busyMs?: number;
}

/**
 * The embedded store: one SQLite file through Node's built-in `node:sqlite` (no dependency, opens in
 * milliseconds). Several envc processes share the file: WAL mode lets readers run beside a writer, and a
 * write transaction waits up to `busyMs` for another process's (`BEGIN IMMEDIATE`, so two writers never
 * deadlock upgrading a read lock). Within one process, calls run one at a time (a transaction's awaits must
 * not let another caller's statement into it).
 */
export async function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): Promise<Store> {
  const db = await openSqliteDb(file, opts);
  try {
    await migrate(db, { advisoryLock: false });
  } catch (err) {
    await db.close();
    throw err;
  }
  return sqlStore(db, 'sqlite', processJobLocks());
}

/** The SQLite file as a `Db` (no migrations): the store's building block, and migration tests'. */
export async function openSqliteDb(file: string, opts: SqliteStoreOptions = {}): Promise<Db> {
  const { DatabaseSync } = await loadSqlite();
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const handle = new DatabaseSync(file);
  const busyMs = opts.busyMs ?? Number(process.env.ENVC_STORE_WAIT_MS ?? 120_000);
  handle.exec(`pragma busy_timeout = ${Math.max(0, Math.floor(busyMs))}`);
  handle.exec('pragma journal_mode = wal');
  handle.exec('pragma synchronous = normal');
  handle.exec('pragma foreign_keys = on');
  return new SqliteDb(handle);
}

/** True when this Node has `node:sqlite` (22.5 and later). */
export async function sqliteAvailable(): Promise<boolean> {
  try {
    await loadSqlite();
    return true;
  } catch {
    return false;
  }
}

/**
 * Imports `node:sqlite` without its one-line ExperimentalWarning (Node 22 prints it on first load; the
 * module is stable enough for us and the line would land in every command's output).
 */
async function loadSqlite(): Promise<typeof import('node:sqlite')> {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/sqlite/i.test(text)) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * PostgreSQL text (what repos/ write) → SQLite: `$n` → `?n`, casts dropped, `= any($n)` over a JSON array,
 * `for update` dropped (a write transaction already holds the database). Cached per statement text.
 */
export function toSqliteDialect(text: string): string {
  return text
    .replace(/=\s*any\(\s*\$(\d+)(?:::[a-z]+(?:\[\])?)?\s*\)/gi, 'in (select value from json_each(?$1))')
    .replace(/\$(\d+)(?:::[a-z]+(?:\[\])?)?/gi, '?$1')
    .replace(/'([^']*)'::json[b]?/gi, "'$1'")
    .replace(/\)::(?:int|integer|bigint|text)\b/gi, ')')
    .replace(/\s+for update\b/gi, '');
}

function param(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return JSON.stringify(v);
  return v;
}

class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, { stmt: StatementSync; arity: number }>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly handle: DatabaseSync) {}

  query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return this.serial(async () => this.run<T>(text, params));
  }

  exec(text: string): Promise<void> {
    return this.serial(async () => this.handle.exec(text));
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.handle.exec('begin immediate');
      const tx: Sql = {
        dialect: 'sqlite',
        query: async <R>(text: string, params?: unknown[]) => this.run<R>(text, params),
        exec: async (text: string) => this.handle.exec(text),
      };
      try {
        const out = await fn(tx);
        this.handle.exec('commit');
        return out;
      } catch (err) {
        if (this.handle.isTransaction) this.handle.exec('rollback');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    if (this.closed) return;
    this.closed = true;
    this.handle.close();
  }

  private run<T>(text: string, params: unknown[] = []): T[] {
    let entry = this.statements.get(text);
    if (!entry) {
      const translated = toSqliteDialect(text);
      const numbers = [...translated.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]));
      entry = { stmt: this.handle.prepare(translated), arity: Math.max(0, ...numbers) };
      this.statements.set(text, entry);
    }
    const args = params.slice(0, entry.arity).map(param) as Array<string | number | null>;
    return entry.stmt.all(...args) as T[];
  }

  /** One caller at a time: node:sqlite is synchronous, but a transaction spans the awaits of its callback. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const next = this.queue.then(fn);
    this.queue = next.catch(() => {});
    return next;
  }
}
