import { describe, expect, it } from 'vitest';
import type { SecretModel } from '../model.js';
import { rotationBounds as rule } from './rotation-bounds.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };
const day = 86_400;

function withSecret(patch: Partial<SecretModel>) {
  const m = testModel();
  Object.assign(m.secrets[0]!, patch);
  return m;
}

describe('ENVC2011 rotation-bounds', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('accepts both bounds exactly', () => {
    expect(rule.check(withSecret({ rotateEvery: '1d', rotateEverySeconds: day }), ctx)).toEqual([]);
    expect(rule.check(withSecret({ rotateEvery: '365d', rotateEverySeconds: 365 * day }), ctx)).toEqual([]);
  });
  it('reports a rotation shorter than a day and longer than a year, at the secret', () => {
    const short = rule.check(withSecret({ rotateEvery: '12h', rotateEverySeconds: 12 * 3600 }), ctx);
    expect(short.map((f) => f.message)).toEqual([
      'secret "session-key" rotates every "12h", outside the allowed 1d–365d',
    ]);
    expect(short[0]?.origin.path).toBe('secrets[0]');
    expect(short[0]?.hint).toContain('1d');
    const long = rule.check(withSecret({ rotateEvery: '53w', rotateEverySeconds: 53 * 7 * day }), ctx);
    expect(long[0]?.hint).toContain('365d');
  });
  it('reports a grace period not shorter than the rotation', () => {
    const f = rule.check(withSecret({ gracePeriod: '30d', gracePeriodSeconds: 30 * day }), ctx);
    expect(f.map((x) => x.message)).toEqual([
      'secret "session-key" keeps the old value for "30d", not less than its rotation period "30d"',
    ]);
  });
  it('reports any grace period on database credentials', () => {
    const f = rule.check(
      withSecret({ source: 'linode-database-credentials', gracePeriod: '1h', gracePeriodSeconds: 3600 }),
      ctx,
    );
    expect(f.map((x) => x.message)).toEqual([
      'secret "session-key" is a database credential but sets gracePeriod "1h"',
    ]);
  });
  it('accepts database credentials without a grace period', () => {
    expect(
      rule.check(withSecret({ source: 'linode-database-credentials', gracePeriodSeconds: 0 }), ctx),
    ).toEqual([]);
  });
});
