import { describe, expect, it } from 'vitest';
import { secretUsedBy as rule } from './secret-used-by.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2019 secret-used-by', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports an unknown service with a suggestion, at the secret', () => {
    const m = testModel();
    m.secrets[0]!.usedBy = ['sample-servce'];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'secret "session-key" is used by unknown service "sample-servce"',
    ]);
    expect(f[0]?.hint).toBe('did you mean "sample-service"?');
    expect(f[0]?.origin.path).toBe('secrets[0]');
  });
  it('reports a secret in an environment where its service does not run', () => {
    const m = testModel();
    m.secrets[0]!.environments = ['development', 'production', 'system'];
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'secret "session-key" is used by "sample-service", which does not run in "system"',
    ]);
  });
});
