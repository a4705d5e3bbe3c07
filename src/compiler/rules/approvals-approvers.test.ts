import { describe, expect, it } from 'vitest';
import { approvalsApprovers as rule } from './approvals-approvers.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2009 approvals-approvers', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports an empty approver list (normalize fills an absent one from slack.approvers)', () => {
    const m = testModel();
    env(m, 'production').approvals.approvers = [];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'environment "production" requires approval but its approver list is empty',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production.approvals');
    expect(f[0]?.hint).toContain('remove `approvers: []`');
    m.slack.approvers = [];
    expect(rule.check(m, ctx)[0]?.hint).toContain('set `slack.approvers`');
  });
  it('ignores environments without required approval', () => {
    const m = testModel();
    m.slack.approvers = [];
    for (const e of m.environments) e.approvals.required = false;
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports minApprovals above the number of user ids', () => {
    const m = testModel();
    const a = env(m, 'production').approvals;
    a.approvers = ['U0123ABCD', 'U0123ABCD', 'W0999XYZW'];
    a.minApprovals = 3;
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      'environment "production" needs 3 approvals but lists only 2 approver(s)',
    ]);
  });
  it('does not count a list with a group (groups hold any number of people)', () => {
    const m = testModel();
    const a = env(m, 'production').approvals;
    a.approvers = ['U0123ABCD', '@platform-leads'];
    a.minApprovals = 5;
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
