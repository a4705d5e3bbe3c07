import type { EnvironmentModel, Model } from '../compiler/model.js';
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
}

export async function visibilityFor(
  viewer: Viewer,
  model: Model,
  isApprover: (user: string, refs: readonly string[]) => Promise<boolean>,
): Promise<Visibility> {
  if (viewer.open) return { env: () => true, record: () => true };
  const restricted = (e: EnvironmentModel) => e.approvals.required || e.tier === 'production';
  const allowed = new Set<string>();
  for (const e of model.environments) {
    if (!restricted(e) || (await isApprover(viewer.user, e.approvals.approvers))) allowed.add(e.name);
  }
  return {
    env: (name) => allowed.has(name),
    record: (env, owner) =>
      env === undefined ? owner === viewer.user : allowed.has(env) || owner === viewer.user,
  };
}
