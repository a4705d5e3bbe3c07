import { describe, expect, it } from 'vitest';
import { debugAccessShort as rule } from './debug-access-short.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2030 debug-access-short', () => {
  it('passes a 1h approved debug policy and ignores other roles', () => {
    const m = testModel();
    expect(rule.check(m, ctx)).toEqual([]);
    Object.assign(m.accessPolicies[0]!, { role: 'debug', maxDuration: '1h', maxDurationSeconds: 3600 });
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports a long, break-glass or standing debug policy at the policy', () => {
    const m = testModel();
    Object.assign(m.accessPolicies[0]!, {
      name: 'shell',
      role: 'debug',
      maxDuration: '2h',
      maxDurationSeconds: 7200,
      breakGlass: true,
      groups: ['devs'],
    });
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      'debug policy "shell" lasts up to "2h", longer than 1h',
      'debug policy "shell" is break-glass (cluster-wide incident access)',
      'debug policy "shell" binds groups standing ("devs")',
    ]);
  });
});
