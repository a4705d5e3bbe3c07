import { describe, expect, it } from 'vitest';
import { kubernetesVersion as rule } from './kubernetes-version.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2021 kubernetes-version', () => {
  it('passes the valid model and a non-production environment one ahead', () => {
    const m = testModel();
    expect(rule.check(m, ctx)).toEqual([]);
    env(m, 'development').kubernetesVersion = '1.34';
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports production ahead of every non-production environment, at the environment', () => {
    const m = testModel();
    env(m, 'production').kubernetesVersion = '1.34';
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'production environment "production" runs Kubernetes "1.34", newer than every non-production environment (newest 1.33)',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production');
  });
  it('reports the environments more than one minor behind', () => {
    const m = testModel();
    env(m, 'system').kubernetesVersion = '1.31';
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'environment "system" runs Kubernetes "1.31", more than one minor version behind 1.33',
    ]);
    expect(f[0]?.hint).toContain('1.32');
  });
});
