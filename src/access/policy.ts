/**
 * What a just-in-time access request means under the spec, as a pure function: which policy it names
 * (directly, or by role when exactly one policy of that role covers the environment), whether the duration
 * fits the policy's maxDuration, which namespaces it covers and who may approve it.
 */
import { accessRoleName, policyNamespaces } from '../compiler/emitters/kubernetes/rbac.js';
import { type AccessPolicyModel, type EnvironmentModel, environment, type Model } from '../compiler/model.js';
import { formatAccessDuration, parseAccessDuration } from './duration.js';

export interface ResolvedAccess {
  env: EnvironmentModel;
  policy: AccessPolicyModel;
  durationSeconds: number;
  /** Namespaces of a namespace-scoped policy (empty for cluster scope). */
  namespaces: string[];
  /** The ClusterRole the bindings reference (emitted by the Kubernetes emitter). */
  clusterRole: string;
}

export type AccessRefusalCode =
  | 'unknown-env'
  | 'unknown-policy'
  | 'ambiguous-role'
  | 'env-not-covered'
  | 'bad-duration'
  | 'too-long'
  | 'no-reason'
  | 'no-namespaces';

export type Resolution =
  | { ok: true; value: ResolvedAccess }
  | { ok: false; code: AccessRefusalCode; message: string };

const ROLES = ['view', 'edit', 'admin'] as const;

export interface AccessAsk {
  env: string;
  /** A policy name, or a role (`view`, `edit`, `admin`) when one policy of that role covers the environment. */
  target: string;
  duration: string;
  reason: string;
}

export function resolveAccess(model: Model, ask: AccessAsk): Resolution {
  const env = environment(model, ask.env);
  if (!env) {
    return refuse(
      'unknown-env',
      `unknown environment "${ask.env}"; known: ${model.environments.map((e) => e.name).join(', ')}`,
    );
  }
  const named = model.accessPolicies.find((p) => p.name === ask.target);
  // A policy named like a role ("edit") that does not cover this environment yields to the role meaning.
  let policy = named?.environments.includes(env.name) ? named : undefined;
  if (!policy && (ROLES as readonly string[]).includes(ask.target)) {
    const candidates = model.accessPolicies.filter(
      (p) => p.role === ask.target && p.environments.includes(env.name),
    );
    // An ordinary policy wins over break-glass: asking for "admin" must not silently mean break-glass.
    const ordinary = candidates.filter((p) => !p.breakGlass);
    const pool = ordinary.length > 0 ? ordinary : candidates;
    if (pool.length > 1) {
      return refuse(
        'ambiguous-role',
        `several policies grant role "${ask.target}" in ${env.name}: ${pool.map((p) => p.name).join(', ')} — name one`,
      );
    }
    policy = pool[0];
  }
  policy ??= named;
  if (!policy) {
    const here = model.accessPolicies.filter((p) => p.environments.includes(env.name)).map((p) => p.name);
    return refuse(
      'unknown-policy',
      `no access policy or role "${ask.target}" for ${env.name}; available: ${here.join(', ') || 'none'}`,
    );
  }
  if (!policy.environments.includes(env.name)) {
    return refuse(
      'env-not-covered',
      `policy "${policy.name}" does not cover ${env.name} (it covers ${policy.environments.join(', ')})`,
    );
  }
  const seconds = parseAccessDuration(ask.duration);
  if (seconds === undefined) {
    return refuse(
      'bad-duration',
      `"${ask.duration}" is not a duration; write e.g. 30m, 2h or 1h30m (maximum ${policy.maxDuration})`,
    );
  }
  if (seconds > policy.maxDurationSeconds) {
    return refuse(
      'too-long',
      `${formatAccessDuration(seconds)} is longer than policy "${policy.name}" allows: the maximum is ${policy.maxDuration}`,
    );
  }
  if (ask.reason.trim().length < 3)
    return refuse('no-reason', 'say why you need access (e.g. "debug INC-123")');
  const namespaces = policy.scope === 'cluster' ? [] : policyNamespaces(env, policy);
  if (policy.scope === 'namespace' && namespaces.length === 0) {
    return refuse('no-namespaces', `policy "${policy.name}" covers no namespace in ${env.name}`);
  }
  return {
    ok: true,
    value: { env, policy, durationSeconds: seconds, namespaces, clusterRole: accessRoleName(policy) },
  };
}

/** Who may approve (and review) requests under a policy: its approvers, else the environment's, else the spec's. */
export function policyApprovers(model: Model, policy: AccessPolicyModel, env: EnvironmentModel): string[] {
  if (policy.approvers.length > 0) return policy.approvers;
  if (env.approvals.approvers.length > 0) return env.approvals.approvers;
  return model.slack.approvers;
}

/** Who reviews break-glass use after the fact: the environment's approvers (break-glass policies have none). */
export function reviewers(model: Model, env: EnvironmentModel): string[] {
  return env.approvals.approvers.length > 0 ? env.approvals.approvers : model.slack.approvers;
}

function refuse(code: AccessRefusalCode, message: string): Resolution {
  return { ok: false, code, message };
}
