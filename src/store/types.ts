/**
 * The store contract shared by the runner, the bot, access (JIT) and rotation code. One interface, two back
 * ends speaking one SQL dialect: embedded PGlite (default, a directory) and PostgreSQL (`postgres://`).
 * See docs/adr/0003-store.md.
 *
 * Each concern (its records and its methods) has a file under `types/`, next to the SQL in `repos/` that
 * implements it; `Store` is all of them together. Import from here: this module is the contract.
 * Conventions (ids, times, JSON, "undefined means no such row"): `types/common.ts`.
 */
import type { AccessStore } from './types/access.js';
import type { ApprovalStore } from './types/approvals.js';
import type { AuditStore } from './types/audit.js';
import type { IncidentStore } from './types/incidents.js';
import type { JobLockStore, LockStore } from './types/locks.js';
import type { PlanStore } from './types/plans.js';
import type { ProbeStore } from './types/probes.js';
import type { RotationStore } from './types/rotations.js';
import type { SlackStore } from './types/slack.js';

export type * from './types/access.js';
export type * from './types/approvals.js';
export type * from './types/audit.js';
export type * from './types/common.js';
export type * from './types/incidents.js';
export type * from './types/locks.js';
export type * from './types/plans.js';
export type * from './types/probes.js';
export type * from './types/rotations.js';
export type * from './types/slack.js';

export interface Store
  extends PlanStore,
    ApprovalStore,
    LockStore,
    AuditStore,
    IncidentStore,
    AccessStore,
    RotationStore,
    ProbeStore,
    SlackStore,
    JobLockStore {
  /** `pglite` or `postgres` — for messages and the contract tests. */
  readonly kind: 'sqlite' | 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** What `openStore` accepts: undefined → `.envc/state/` (PGlite), `postgres://…` → PostgreSQL, else a PGlite dir. */
export type StoreUrl = string | undefined;
