import { isUserId, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * An environment that requires approval but names nobody who can approve blocks every apply; asking for more
 * approvals than there are people does the same. Normalize fills an absent list from `slack.approvers`, so an
 * empty list here is an explicit `approvers: []` or an empty default — either way nobody can approve.
 */
export const approvalsApprovers: Rule = {
  code: 'ENVC2009',
  name: 'approvals-approvers',
  title: 'environments that require approval have a non-empty approver list, long enough for minApprovals',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const a = env.approvals;
      if (!a.required) continue;
      if (a.approvers.length === 0) {
        findings.push({
          origin: a.origin,
          message: `environment ${q(env.name)} requires approval but its approver list is empty`,
          hint:
            model.slack.approvers.length > 0
              ? 'list approvers, e.g. `approvers: ["@platform-leads"]`, or remove `approvers: []` to use `slack.approvers`'
              : 'list approvers, e.g. `approvals.approvers: ["@platform-leads"]`, or set `slack.approvers` as the default',
        });
        continue;
      }
      // Groups can hold any number of people; only a list of user ids can be counted.
      const people = new Set(a.approvers);
      if (a.approvers.every(isUserId) && a.minApprovals > people.size) {
        findings.push({
          origin: a.origin,
          message: `environment ${q(env.name)} needs ${a.minApprovals} approvals but lists only ${people.size} approver(s)`,
          hint: 'add approvers (or a user group such as "@platform-leads") or lower `approvals.minApprovals`',
        });
      }
    }
    return findings;
  },
};
