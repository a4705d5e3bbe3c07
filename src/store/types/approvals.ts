/**
 * Approval requests and approvals. A request has an explicit lifecycle, every step one SQL statement:
 *
 *   pending ──(enough approvals)──▶ approved ──(apply consumes the approvals)──▶ applying ──▶ applied | failed
 *      │                              │
 *      ├──▶ denied ◀──────────────────┤           (a deny voids the unused approvals)
 *      ├──▶ superseded ◀──────────────┘           (a newer plan of the environment was requested)
 *      └──▶ expired                               (nobody approved in time; the sweeper posts it once)
 *
 * pending, approved and applying are "live": at most one live request per (env, digest).
 */
export type ApprovalRequestStatus =
  | 'pending'
  | 'approved'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'denied'
  | 'expired'
  | 'superseded';

/** "Someone wants to apply this digest to this environment": what the bot posts with Approve/Deny buttons. */
export interface ApprovalRequest {
  id: string;
  env: string;
  digest: string;
  requester: string;
  status: ApprovalRequestStatus;
  createdAt: Date;
  expiresAt: Date;
  /** Set when denied. */
  deniedBy?: string;
  reason?: string;
  /** When the apply consumed the approvals (status `applying`) and who ran it. */
  startedAt?: Date;
  appliedBy?: string;
  /** When the apply finished (`applied` or `failed`). */
  finishedAt?: Date;
  /** Why the apply failed (status `failed`). */
  error?: string;
}

/**
 * How an approver's identity was proven: a signed Slack request (the bot), or a verified CI workload identity
 * (GitHub Actions OIDC). `unverified`: recorded before identities were checked; the apply gate never counts it.
 */
export type ApprovalVia = 'slack' | 'github-oidc' | 'unverified';

/** One approver's approval of one digest. Single use: `used` flips once, atomically, on apply. */
export interface Approval {
  id: string;
  env: string;
  digest: string;
  approver: string;
  /** The requester at the time of approval (self-approval is refused by comparing the two). */
  requester: string;
  /** How the approver's identity was proven. */
  via: ApprovalVia;
  createdAt: Date;
  expiresAt: Date;
  used: boolean;
  usedAt?: Date;
}

export interface ConsumeApprovals {
  env: string;
  digest: string;
  /** The approvals the gate judged valid (allowed approver, not the requester). */
  approvalIds: string[];
  /** Consume only when at least this many are still unused and unexpired; else consume none. */
  minApprovals: number;
  /** Who runs the apply (recorded on the request as `appliedBy`). */
  actor?: string;
  now?: Date;
}

export interface ApplyOutcomeRecord {
  env: string;
  digest: string;
  outcome: 'applied' | 'failed';
  /** Why it failed (kept on the request; callers redact secrets first). */
  error?: string;
  at?: Date;
}

export interface ApprovalRequestFilter {
  env?: string;
  status?: ApprovalRequestStatus | readonly ApprovalRequestStatus[];
}

export interface ApprovalStore {
  /**
   * Idempotent per (env, digest) while a request is live (pending, approved, applying): returns that one. A
   * denial is final for its digest: when the digest was denied, the denied request is returned and nothing
   * new is opened (the same plan can never be approved again; a changed plan has a new digest).
   */
  requestApproval(req: {
    env: string;
    digest: string;
    requester: string;
    expiresAt: Date;
  }): Promise<ApprovalRequest>;
  /** The live request of this digest, else the newest one. */
  getApprovalRequest(env: string, digest: string): Promise<ApprovalRequest | undefined>;
  /** Newest first. */
  listApprovalRequests(filter?: ApprovalRequestFilter): Promise<ApprovalRequest[]>;
  /** Records one approval (one per approver per digest; a repeat returns the existing row). No policy checks here: the gate judges. */
  addApproval(a: {
    env: string;
    digest: string;
    approver: string;
    requester: string;
    via: Exclude<ApprovalVia, 'unverified'>;
    expiresAt: Date;
  }): Promise<Approval>;
  listApprovals(env: string, digest?: string): Promise<Approval[]>;
  /** `pending` → `approved` (the caller judged that enough approvers approved); undefined when not pending. */
  markRequestApproved(env: string, digest: string): Promise<ApprovalRequest | undefined>;
  /**
   * Starts an apply: atomically marks the given approvals used (UPDATE … WHERE used = false AND expires_at >
   * now RETURNING) and moves the digest's live request to `applying` (creating one when approvals were given
   * without a request) — all or nothing: when fewer than `minApprovals` could be claimed, nothing changes and
   * [] is returned. Two concurrent applies can never both consume the same approval.
   */
  consumeApprovals(c: ConsumeApprovals): Promise<Approval[]>;
  /** `applying` → `applied` | `failed`, after terraform finished; undefined when no apply of it was running. */
  recordApplyOutcome(o: ApplyOutcomeRecord): Promise<ApprovalRequest | undefined>;
  /**
   * `pending` | `approved` → `denied`, voiding the digest's unused approvals. Undefined when no request of
   * that digest can be denied any more (none, or already applying, applied, …).
   */
  denyApproval(d: {
    env: string;
    digest: string;
    actor: string;
    reason?: string;
  }): Promise<ApprovalRequest | undefined>;
  /**
   * `pending` requests whose `expiresAt <= now` → `expired`. Returns the requests this call expired: each
   * expiry is returned to exactly one caller, so it is announced once across replicas.
   */
  expireApprovalRequests(now?: Date): Promise<ApprovalRequest[]>;
  /** `pending` | `approved` requests of `env` for any digest but `keepDigest` → `superseded`; returns them. */
  supersedeApprovalRequests(env: string, keepDigest: string): Promise<ApprovalRequest[]>;
}
