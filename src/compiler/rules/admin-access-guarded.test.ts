import { describe, expect, it } from 'vitest';
import { adminAccessGuarded as rule } from './admin-access-guarded.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2020 admin-access-guarded', () => {
  it('passes the valid model (break-glass cluster admin)', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports an admin policy with one approval', () => {
    const m = testModel();
    Object.assign(m.accessPolicies[0]!, { role: 'admin' });
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual(['admin policy "view" is granted with 1 approval']);
    expect(f[0]?.origin.path).toBe('accessPolicies[0]');
  });
  it('accepts an admin policy with two approvals', () => {
    const m = testModel();
    Object.assign(m.accessPolicies[0]!, { role: 'admin', minApprovals: 2 });
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports namespace-scoped break-glass admin', () => {
    const m = testModel();
    m.accessPolicies[1]!.scope = 'namespace';
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'break-glass admin policy "break-glass" is limited to namespaces',
    ]);
  });
});
