import { describe, expect, it } from 'vitest';
import { systemEnvironment as rule } from './system-environment.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2012 system-environment', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a missing system environment at the environments map', () => {
    const m = testModel();
    m.environments = m.environments.filter((e) => e.name !== 'system');
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual(['there is no "system" environment to host ArgoCD and the bot']);
    expect(f[0]?.origin).toMatchObject({ path: 'environments', line: 3, column: 3 });
  });
  it('reports a system environment of the wrong tier, and missing hosts', () => {
    const m = testModel();
    const s = env(m, 'system');
    s.tier = 'non-production';
    s.hosts = ['observability'];
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'environment "system" has tier "non-production"',
      'environment "system" does not host "argocd" and "bot"',
    ]);
  });
  it('reports ArgoCD hosted elsewhere', () => {
    const m = testModel();
    env(m, 'development').hosts = ['argocd'];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'environment "development" hosts "argocd", which belong to the "system" environment',
    ]);
    expect(f[0]?.origin.path).toBe('environments.development');
  });
});
