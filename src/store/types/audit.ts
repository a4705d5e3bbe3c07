import type { JsonObject } from './common.js';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  /** Environment, or undefined for platform-wide actions. */
  env?: string;
  /** e.g. `plan`, `apply`, `approval.add`, `approval.deny`, `access.grant`, `rotation.finish`, `state.restore`. */
  action: string;
  details: JsonObject;
}

export interface NewAuditEntry {
  actor: string;
  env?: string;
  action: string;
  details?: JsonObject;
  at?: Date;
}

export interface AuditFilter {
  env?: string;
  actor?: string;
  /** Exact action, or a prefix ending in `.` / `*` (e.g. `approval.*`). */
  action?: string;
  since?: Date;
  /** Newest first; default 100. */
  limit?: number;
}

export interface AuditStore {
  audit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}
