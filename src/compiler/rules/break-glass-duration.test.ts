import { describe, expect, it } from 'vitest';
import { breakGlassDuration as rule } from './break-glass-duration.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2016 break-glass-duration', () => {
  it('passes the valid model and exactly 4h', () => {
    const m = testModel();
    expect(rule.check(m, ctx)).toEqual([]);
    Object.assign(m.accessPolicies[1]!, { maxDuration: '4h', maxDurationSeconds: 4 * 3600 });
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports a break-glass policy longer than 4h at the policy', () => {
    const m = testModel();
    Object.assign(m.accessPolicies[1]!, { maxDuration: '241m', maxDurationSeconds: 241 * 60 });
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'break-glass policy "break-glass" lasts up to "241m", longer than 4h',
    ]);
    expect(f[0]?.origin.path).toBe('accessPolicies[1]');
  });
  it('does not limit ordinary policies', () => {
    const m = testModel();
    Object.assign(m.accessPolicies[0]!, { maxDuration: '1d', maxDurationSeconds: 86_400 });
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
