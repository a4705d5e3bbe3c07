import type { JsonObject } from './common.js';

export type AccessStatus = 'pending' | 'approved' | 'denied' | 'granted' | 'revoked' | 'expired' | 'failed';

export interface AccessRequest {
  id: string;
  env: string;
  /** Access policy name from the spec. */
  policy: string;
  role: 'view' | 'debug' | 'edit' | 'admin';
  requester: string;
  reason: string;
  durationSeconds: number;
  minApprovals: number;
  /** Namespaces covered, or undefined for the policy's default scope. */
  namespaces?: string[];
  status: AccessStatus;
  createdAt: Date;
  /** Approvers so far (distinct, in order). */
  approvers: string[];
  deniedBy?: string;
  grantedAt?: Date;
  /** grantedAt + duration; the expiry job revokes after this. */
  expiresAt?: Date;
  /** What was created to grant it (e.g. `RoleBinding/team-a/envc-jit-…`), so revocation can delete them. */
  bindingRefs: string[];
  revokedAt?: Date;
  revokedBy?: string;
  /** Reason given when denied or revoked (`expired` for the expiry job). */
  revokeReason?: string;
  /** Why granting failed (status `failed`). */
  error?: string;
  slackChannel?: string;
  slackTs?: string;
  details: JsonObject;
}

/** What the requester asks for; the store adds the id, status `pending` and the creation time (`now`). */
export interface NewAccessRequest
  extends Pick<
    AccessRequest,
    'env' | 'policy' | 'role' | 'requester' | 'reason' | 'durationSeconds' | 'minApprovals' | 'namespaces'
  > {
  details?: JsonObject;
  now?: Date;
}

export interface AccessApprovalResult {
  request: AccessRequest;
  /** False when this approver had already approved (idempotent). */
  added: boolean;
  /** True when approvals now reach minApprovals (status moved to `approved`). */
  complete: boolean;
}

export interface GrantFilter {
  /** true: granted and not yet expired at `now`; false: revoked or expired; undefined: all granted ever. */
  active?: boolean;
  env?: string;
  requester?: string;
  now?: Date;
}

/** Just-in-time access requests and grants. */
export interface AccessStore {
  createAccessRequest(r: NewAccessRequest): Promise<AccessRequest>;
  /** Adds one distinct approver; moves `pending` → `approved` when minApprovals is reached. */
  addAccessApproval(a: { requestId: string; approver: string }): Promise<AccessApprovalResult | undefined>;
  denyAccessRequest(d: {
    requestId: string;
    actor: string;
    reason?: string;
  }): Promise<AccessRequest | undefined>;
  getAccessRequest(id: string): Promise<AccessRequest | undefined>;
  listAccessRequests(filter?: {
    env?: string;
    status?: AccessStatus;
    requester?: string;
  }): Promise<AccessRequest[]>;
  /** `approved` → `granted`; only from approved (returns undefined otherwise, so two workers cannot both grant). */
  markGranted(
    id: string,
    g: { grantedAt: Date; expiresAt: Date; bindingRefs: string[] },
  ): Promise<AccessRequest | undefined>;
  /** `granted` → `revoked` (or `expired` when reason is 'expired'); only once. */
  markRevoked(id: string, r: { actor: string; at: Date; reason: string }): Promise<AccessRequest | undefined>;
  markAccessFailed(id: string, error: string): Promise<AccessRequest | undefined>;
  setAccessSlackMessage(id: string, channel: string, ts: string): Promise<void>;
  listGrants(filter?: GrantFilter): Promise<AccessRequest[]>;
  /** Granted and `expiresAt <= now`: what the expiry job must revoke. */
  listExpiredGrants(now: Date): Promise<AccessRequest[]>;
}
