import { isUserId, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * An access package nobody can approve can never be granted; an empty list must not read as "self-serve".
 * Normalize fills an absent list from `slack.approvers`, so an empty list is explicit or an empty default.
 * Break-glass included: it is granted only through its approval path (issue 12), never on request alone.
 */
export const accessApprovers: Rule = {
  code: 'ENVC2010',
  name: 'access-approvers',
  title:
    'access policies (break-glass included) have a non-empty approver list, long enough for minApprovals',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const p of model.accessPolicies) {
      if (p.approvers.length === 0) {
        findings.push({
          origin: p.origin,
          message: `access policy ${q(p.name)} has an empty approver list, so nobody can grant it`,
          hint: 'add `approvers: ["@platform-leads"]` (or set `slack.approvers` and drop the empty list)',
        });
        continue;
      }
      const people = new Set(p.approvers);
      if (p.approvers.every(isUserId) && p.minApprovals > people.size) {
        findings.push({
          origin: p.origin,
          message: `access policy ${q(p.name)} needs ${p.minApprovals} approvals but lists only ${people.size} approver(s)`,
          hint: 'add approvers (or a user group) or lower `minApprovals`',
        });
      }
    }
    return findings;
  },
};
