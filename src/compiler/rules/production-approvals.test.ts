import { describe, expect, it } from 'vitest';
import { productionApprovals as rule } from './production-approvals.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2023 production-approvals', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports production without approval at the approvals block', () => {
    const m = testModel();
    env(m, 'production').approvals.required = false;
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual(['production environment "production" applies without approval']);
    expect(f[0]?.origin.path).toBe('environments.production.approvals');
  });
  it('reports allowDestroy and an unprotected production environment', () => {
    const m = testModel();
    const p = env(m, 'production');
    p.approvals.allowDestroy = true;
    p.protected = false;
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'production environment "production" allows `envc destroy`',
      'production environment "production" is not protected from destroy',
    ]);
  });
  it('ignores non-production environments', () => {
    const m = testModel();
    env(m, 'development').approvals.allowDestroy = true;
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
