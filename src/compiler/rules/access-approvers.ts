import type { Finding, Rule } from './types.js';
import { isUserId, q } from './shared.js';

/** An access package nobody can approve can never be granted; a typo'd empty list must not mean "self-serve". */
export const accessApprovers: Rule = {
  code: 'ENVC2010',
  name: 'access-approvers',
  title: 'access policies (other than break-glass) have approvers, and enough of them for minApprovals',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const p of model.accessPolicies) {
      if (p.breakGlass) continue;
      const approvers = p.approvers.length > 0 ? p.approvers : model.slack.approvers;
      if (approvers.length === 0) {
        findings.push({
          origin: p.origin,
          message: `access policy ${q(p.name)} has no approvers, so nobody can grant it`,
          hint: 'add `approvers: ["@platform-leads"]` (or set `slack.approvers`), or mark it `breakGlass: true` if it is meant for incidents',
        });
        continue;
      }
      if (approvers.every(isUserId) && p.minApprovals > new Set(approvers).size) {
        findings.push({
          origin: p.origin,
          message: `access policy ${q(p.name)} needs ${p.minApprovals} approvals but lists only ${new Set(approvers).size} approver(s)`,
          hint: 'add approvers (or a user group) or lower `minApprovals`',
        });
      }
    }
    return findings;
  },
};
