/** The shapes every access step shares: its dependencies, its outcome, the stored details, events and audit. */
import type { AccessPolicyModel, EnvironmentModel, Model } from '../compiler/model.js';
import { environment } from '../compiler/model.js';
import type { KubernetesApi } from '../integrations/kubernetes.js';
import type { AccessRequest, Store } from '../store/types.js';
import { formatAccessDuration } from './duration.js';
import type { AccessEvent, AccessEventSink } from './events.js';

export interface AccessDeps {
  store: Store;
  model: Model;
  now: () => Date;
  /** The Kubernetes API of one environment. */
  kube(env: string): Promise<KubernetesApi>;
  /** One audit entry (store + structured log line), e.g. the bot's Auditor. */
  audit(d: { actor: string; env?: string; action: string; details?: Record<string, unknown> }): Promise<void>;
  /** Resolves approver refs (Slack user ids, groups, handles). */
  approvers: { isApprover(user: string, refs: readonly string[]): Promise<boolean> };
  /** The requester's profile email (Slack users.info); undefined when unknown. */
  emailOf(user: string): Promise<string | undefined>;
  events?: AccessEventSink;
  /** Where event delivery failures are reported (they never undo a decision). */
  warn?(msg: string, fields?: Record<string, unknown>): void;
}

export type AccessOutcome<T> =
  | { kind: 'success'; value: T; message: string }
  | { kind: 'failure'; message: string }
  | { kind: 'error'; message: string };

export const ok = <T>(value: T, message: string): AccessOutcome<T> => ({ kind: 'success', value, message });
export const failure = <T>(message: string): AccessOutcome<T> => ({ kind: 'failure', message });

/** The details envc keeps on each request (the store's free-form `details`). */
export interface AccessDetails {
  k8sUser: string;
  email: string;
  scope: 'namespace' | 'cluster';
  clusterRole: string;
  breakGlass: boolean;
}

export function detailsOf(r: AccessRequest): AccessDetails {
  return r.details as unknown as AccessDetails;
}

export function policyOf(
  model: Model,
  r: AccessRequest,
): { policy: AccessPolicyModel; env: EnvironmentModel } | undefined {
  const policy = model.accessPolicies.find((p) => p.name === r.policy);
  const env = environment(model, r.env);
  return policy && env ? { policy, env } : undefined;
}

export async function emit(deps: AccessDeps, e: AccessEvent): Promise<void> {
  if (!deps.events) return;
  try {
    await deps.events(e);
  } catch (err) {
    deps.warn?.('access event could not be delivered', { event: e.type, error: err });
  }
}

/** Everything the audit log needs about a request, in one shape. */
export function auditDetails(r: AccessRequest, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId: r.id,
    policy: r.policy,
    role: r.role,
    requester: r.requester,
    duration: formatAccessDuration(r.durationSeconds),
    durationSeconds: r.durationSeconds,
    reason: r.reason,
    ...extra,
  };
}

/** When a pending request lapses: the environment's approval expiry after it was made. */
export function pendingExpiry(model: Model, r: AccessRequest): Date {
  const env = environment(model, r.env);
  return new Date(r.createdAt.getTime() + (env?.approvals.expiresAfterSeconds ?? 3600) * 1000);
}
