import { policyApprovers } from '../access/policy.js';
import type { EnvironmentModel, Model } from '../compiler/model.js';
import type { AccessRequest } from '../store/types.js';
import type { Viewer } from './deps.js';

/**
 * What a signed-in user may see. Non-production environments: every member of the workspace. Environments
 * that need approvals (production, protected ones): their approvers, plus each requester for their own
 * plans and access requests. The open demo sees everything.
 */
export interface Visibility {
  env(name: string): boolean;
  /** A record of `env` created by `owner` (plan requester, access requester, audit actor). */
  record(env: string | undefined, owner: string | undefined): boolean;
  /**
   * An access request or grant: one's own, or one the viewer may approve under its policy (the policy's
   * approvers, else the environment's) — access is granted per policy, so it is seen per policy.
   */
  access(r: Pick<AccessRequest, 'env' | 'policy' | 'requester'>): boolean;
}

export async function visibilityFor(
  viewer: Viewer,
  model: Model,
  isApprover: (user: string, refs: readonly string[]) => Promise<boolean>,
): Promise<Visibility> {
  if (viewer.open) return { env: () => true, record: () => true, access: () => true };
  const restricted = (e: EnvironmentModel) => e.approvals.required || e.tier === 'production';
  const allowed = new Set<string>();
  for (const e of model.environments) {
    if (!restricted(e) || (await isApprover(viewer.user, e.approvals.approvers))) allowed.add(e.name);
  }
  const approves = new Set<string>();
  for (const e of model.environments)
    for (const p of model.accessPolicies) {
      if (!p.environments.includes(e.name)) continue;
      if (await isApprover(viewer.user, policyApprovers(model, p, e))) approves.add(`${e.name}\0${p.name}`);
    }
  return {
    access: (r) => r.requester === viewer.user || approves.has(`${r.env}\0${r.policy}`),
    env: (name) => allowed.has(name),
    record: (env, owner) =>
      env === undefined ? owner === viewer.user : allowed.has(env) || owner === viewer.user,
  };
}
