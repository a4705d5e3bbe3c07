import { describe, expect, it } from 'vitest';
import { stateBucketNames as rule } from './state-bucket-names.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2050 state-bucket-names', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a bucket prefix too long for <bucket>-<env>, at stateBackend, naming the buckets', () => {
    const m = testModel();
    m.stateBackend.bucket = 'a'.repeat(55);
    m.stateBackend.backupBucket = m.stateBackend.bucket;
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.origin.path).toBe('stateBackend');
    expect(f[0]!.message).toContain(`"${'a'.repeat(55)}-production"`);
    expect(f[0]!.hint).toMatch(/^shorten stateBackend.bucket to at most \d+ characters/);
  });
  it('checks a separate backup bucket prefix too', () => {
    const m = testModel();
    m.stateBackend.backupBucket = 'b'.repeat(60);
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      expect.stringMatching(/^stateBackend.backupBucket "b{60}" makes per-environment bucket names longer/),
    ]);
  });
});
