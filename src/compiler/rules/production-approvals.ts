import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Production changes are applied only after a second person has seen the plan, and are never destroyed by accident. */
export const productionApprovals: Rule = {
  code: 'ENVC2023',
  name: 'production-approvals',
  title: 'production environments require approval, are protected, and do not allow destroy',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      if (env.tier !== 'production') continue;
      if (!env.approvals.required) {
        findings.push({
          origin: env.approvals.origin,
          message: `production environment ${q(env.name)} applies without approval`,
          hint: 'set `approvals.required: true` with approvers',
        });
      } else if (env.approvals.allowDestroy) {
        findings.push({
          origin: env.approvals.origin,
          message: `production environment ${q(env.name)} allows \`envc destroy\``,
          hint: 'remove `approvals.allowDestroy` (waive this rule, with a reason and an expiry, to decommission)',
        });
      }
      if (!env.protected) {
        findings.push({
          origin: env.origin,
          message: `production environment ${q(env.name)} is not protected from destroy`,
          hint: 'remove `protected: false` (production defaults to protected)',
        });
      }
    }
    return findings;
  },
};
