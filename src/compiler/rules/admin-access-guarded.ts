import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * Admin rights are guarded by a second person — either two approvals, or break-glass (approved by the policy's
 * approvers, alerted loudly, short and reviewed after). Break-glass admin is cluster-wide: incidents do not respect namespaces.
 */
export const adminAccessGuarded: Rule = {
  code: 'ENVC2020',
  name: 'admin-access-guarded',
  title: 'admin access policies are break-glass at cluster scope or need at least two approvals',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const p of model.accessPolicies) {
      if (p.role !== 'admin') continue;
      if (p.breakGlass) {
        if (p.scope !== 'cluster') {
          findings.push({
            origin: p.origin,
            message: `break-glass admin policy ${q(p.name)} is limited to namespaces`,
            hint: 'set `scope: cluster` for break-glass, or drop `breakGlass` and require `minApprovals: 2`',
          });
        }
      } else if (p.minApprovals < 2) {
        findings.push({
          origin: p.origin,
          message: `admin policy ${q(p.name)} is granted with ${p.minApprovals} approval`,
          hint: 'set `minApprovals: 2`, or make it a `breakGlass: true` policy with `scope: cluster`',
        });
      }
    }
    return findings;
  },
};
