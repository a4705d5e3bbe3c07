import { sql as initial, sqlite as initialSqlite } from './0001_initial.js';
import { sql as planApplied, sqlite as planAppliedSqlite } from './0002_plan_applied.js';
import { sql as approvalLifecycle, sqlite as approvalLifecycleSqlite } from './0003_approval_lifecycle.js';
import { sql as planRevision, sqlite as planRevisionSqlite } from './0004_plan_revision.js';
import { sql as approvalIdentity, sqlite as approvalIdentitySqlite } from './0005_approval_identity.js';

export interface Migration {
  version: number;
  name: string;
  /** PostgreSQL (and PGlite). */
  sql: string;
  /** The same change in SQLite's dialect (the embedded store). */
  sqlite: string;
}

/**
 * Every migration in order. TypeScript modules rather than .sql files so the esbuild bundle carries them
 * (no files to locate at run time). Append only: a shipped migration never changes.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial, sqlite: initialSqlite },
  { version: 2, name: 'plan-applied', sql: planApplied, sqlite: planAppliedSqlite },
  { version: 3, name: 'approval-lifecycle', sql: approvalLifecycle, sqlite: approvalLifecycleSqlite },
  { version: 4, name: 'plan-revision', sql: planRevision, sqlite: planRevisionSqlite },
  { version: 5, name: 'approval-identity', sql: approvalIdentity, sqlite: approvalIdentitySqlite },
];
