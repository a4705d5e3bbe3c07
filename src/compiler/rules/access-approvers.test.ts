import { describe, expect, it } from 'vitest';
import { accessApprovers as rule } from './access-approvers.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2010 access-approvers', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a break-glass policy nobody can approve (break-glass goes through approval too)', () => {
    const m = testModel();
    const bg = m.accessPolicies.find((p) => p.breakGlass)!;
    bg.approvers = [];
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      `access policy "${bg.name}" has an empty approver list, so nobody can grant it`,
    ]);
  });
  it('reports an empty approver list at the policy', () => {
    const m = testModel();
    m.accessPolicies[0]!.approvers = [];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'access policy "view" has an empty approver list, so nobody can grant it',
    ]);
    expect(f[0]?.origin.path).toBe('accessPolicies[0]');
  });
  it('reports minApprovals above the number of listed users', () => {
    const m = testModel();
    const p = m.accessPolicies[0]!;
    p.approvers = ['U0123ABCD'];
    p.minApprovals = 2;
    expect(rule.check(m, ctx)[0]?.message).toBe(
      'access policy "view" needs 2 approvals but lists only 1 approver(s)',
    );
  });
});
