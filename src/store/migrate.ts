import { migrations as all, type Migration } from './migrations/index.js';
import type { Db } from './sql.js';

export interface MigrateOptions {
  /** PostgreSQL: serialize concurrent migrators (several replicas starting at once) with an advisory lock. */
  advisoryLock: boolean;
  migrations?: readonly Migration[];
}

/** Fixed key for the migration advisory lock ("envc" + 1). */
const MIGRATION_LOCK_KEY = 0x656e7663_01;

/**
 * Applies pending migrations in version order, each in its own transaction together with its row in
 * `schema_migrations`, so a failed migration leaves the earlier ones applied and nothing half-done.
 * Returns the versions applied now.
 */
export async function migrate(db: Db, opts: MigrateOptions): Promise<number[]> {
  const migrations = [...(opts.migrations ?? all)].sort((a, b) => a.version - b.version);
  const time = db.dialect === 'sqlite' ? 'text' : 'timestamptz';
  await db.exec(
    `create table if not exists schema_migrations (version integer primary key, name text not null, applied_at ${time} not null)`,
  );
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (opts.advisoryLock) await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const rows = await tx.query('select 1 from schema_migrations where version = $1', [m.version]);
      if (rows.length > 0) return false;
      await tx.exec(db.dialect === 'sqlite' ? m.sqlite : m.sql);
      await tx.query('insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

export async function appliedVersions(db: Db): Promise<number[]> {
  const rows = await db.query<{ version: number }>('select version from schema_migrations order by version');
  return rows.map((r) => Number(r.version));
}
