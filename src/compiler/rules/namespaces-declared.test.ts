import { describe, expect, it } from 'vitest';
import { namespacesDeclared as rule } from './namespaces-declared.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2015 namespaces-declared', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it("reports a service whose owner's namespace is not declared", () => {
    const m = testModel();
    env(m, 'production').namespaces = [];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'ArgoCD would sync "sample-service" into namespace "team-a", which "production" does not declare',
    ]);
    expect(f[0]?.origin.path).toBe('services[0]');
  });
  it('reports an access policy naming an undeclared namespace, with a suggestion', () => {
    const m = testModel();
    m.accessPolicies[0]!.namespaces = ['team-b'];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'access policy "view" grants access to namespace "team-b", which "development" does not declare',
      'access policy "view" grants access to namespace "team-b", which "production" does not declare',
    ]);
    expect(f[0]?.hint).toBe('did you mean "team-a"?');
    expect(f[0]?.origin.path).toBe('accessPolicies[0]');
  });
  it('accepts declared access-policy namespaces and skips unknown environments', () => {
    const m = testModel();
    m.accessPolicies[0]!.namespaces = ['team-a'];
    m.accessPolicies[0]!.environments.push('nowhere');
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
