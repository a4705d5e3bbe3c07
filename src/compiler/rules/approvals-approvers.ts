import type { Finding, Rule } from './types.js';
import { isUserId, q } from './shared.js';

/**
 * An environment that requires approval but names nobody who can approve blocks every apply; asking for more
 * approvals than there are people does the same.
 */
export const approvalsApprovers: Rule = {
  code: 'ENVC2009',
  name: 'approvals-approvers',
  title: 'environments that require approval have approvers, and enough of them for minApprovals',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const a = env.approvals;
      if (!a.required) continue;
      const approvers = a.approvers.length > 0 ? a.approvers : model.slack.approvers;
      if (approvers.length === 0) {
        findings.push({
          origin: a.origin,
          message: `environment ${q(env.name)} requires approval but has no approvers`,
          hint: 'add `approvals.approvers: ["@platform-leads"]` or set `slack.approvers` as the default',
        });
        continue;
      }
      // Groups can hold any number of people; only a list of user ids can be counted.
      if (approvers.every(isUserId) && a.minApprovals > new Set(approvers).size) {
        findings.push({
          origin: a.origin,
          message: `environment ${q(env.name)} needs ${a.minApprovals} approvals but lists only ${new Set(approvers).size} approver(s)`,
          hint: 'add approvers (or a user group such as "@platform-leads") or lower `approvals.minApprovals`',
        });
      }
    }
    return findings;
  },
};
