/** What the spec says about applying an environment, reduced to what the runner decides with. */
import { environment, type Model, type Tier } from '../compiler/model.js';

export interface EnvPolicy {
  env: string;
  tier: Tier;
  protected: boolean;
  approvals: {
    required: boolean;
    /** Slack user ids (U…/W…), user group ids (S…) or handles (@group). */
    approvers: string[];
    minApprovals: number;
    expiresAfterSeconds: number;
    allowDestroy: boolean;
  };
}

export type PolicySource = (env: string) => EnvPolicy | undefined;

export function policyFromModel(model: Model): PolicySource {
  return (name) => {
    const e = environment(model, name);
    if (!e) return undefined;
    return {
      env: e.name,
      tier: e.tier,
      protected: e.protected,
      approvals: {
        required: e.approvals.required,
        approvers: [...e.approvals.approvers],
        minApprovals: Math.max(1, e.approvals.minApprovals),
        expiresAfterSeconds: e.approvals.expiresAfterSeconds,
        allowDestroy: e.approvals.allowDestroy,
      },
    };
  };
}

/**
 * Without a spec (fixture stacks, `--stacks` on a bare directory): nothing is gated except what is called
 * `production`, which is treated as production with no approvers — so it can never be applied by accident.
 */
export const specless: PolicySource = (env) => ({
  env,
  tier: env === 'production' ? 'production' : 'non-production',
  protected: env === 'production',
  approvals: {
    required: env === 'production',
    approvers: [],
    minApprovals: 1,
    expiresAfterSeconds: 3600,
    allowDestroy: false,
  },
});
