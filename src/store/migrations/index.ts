import { sql as initial } from './0001_initial.js';
import { sql as planApplied } from './0002_plan_applied.js';
import { sql as approvalLifecycle } from './0003_approval_lifecycle.js';
import { sql as planRevision } from './0004_plan_revision.js';
import { sql as approvalIdentity } from './0005_approval_identity.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration in order. TypeScript modules rather than .sql files so the esbuild bundle carries them
 * (no files to locate at run time). Append only: a shipped migration never changes.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'plan-applied', sql: planApplied },
  { version: 3, name: 'approval-lifecycle', sql: approvalLifecycle },
  { version: 4, name: 'plan-revision', sql: planRevision },
  { version: 5, name: 'approval-identity', sql: approvalIdentity },
];
