import { describe, expect, it } from 'vitest';
import type { RotationRecord } from '../store/types.js';
import { ALPHABETS, generateValue } from './generate.js';
import { pendingRevocations } from './revocations.js';
import { freshness, nextDue } from './schedule.js';
import { keyLabel, keyLabelPrefix } from './sources.js';

const rec = (over: Partial<RotationRecord>): RotationRecord => ({
  id: 'r1',
  env: 'production',
  secret: 'objstore-key',
  actor: 'envc-bot',
  status: 'succeeded',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: new Date('2026-01-01T00:10:00Z'),
  steps: [],
  details: {},
  ...over,
});

describe('freshness', () => {
  const t = { env: 'production', secret: 'objstore-key', rotateEverySeconds: 30 * 86400 };
  it('is due rotateEvery after the last success', () => {
    const f = freshness(t, rec({}), new Date('2026-01-15T00:10:00Z'));
    expect(f.nextDue.toISOString()).toBe('2026-01-31T00:10:00.000Z');
    expect(f.due).toBe(false);
    expect(f.ageSeconds).toBe(14 * 86400);
    expect(freshness(t, rec({}), new Date('2026-01-31T00:10:00Z')).due).toBe(true);
    expect(nextDue(new Date(0), 60).getTime()).toBe(60_000);
  });
  it('is due at once when never rotated, with no age', () => {
    const f = freshness(t, undefined, new Date('2026-01-15T00:00:00Z'));
    expect(f.due).toBe(true);
    expect(f.ageSeconds).toBeUndefined();
    expect(f.nextDue.getTime()).toBe(0);
  });
});

describe('generated values', () => {
  it('have the spec length and only characters of the alphabet', () => {
    for (const [name, chars] of Object.entries(ALPHABETS)) {
      const v = generateValue(64, name as keyof typeof ALPHABETS);
      expect(v).toHaveLength(64);
      expect([...v].every((c) => chars.includes(c))).toBe(true);
    }
    expect(ALPHABETS.printable).toHaveLength(94);
    expect(generateValue(32, 'alphanumeric')).not.toBe(generateValue(32, 'alphanumeric'));
  });
  it('use every character of the alphabet (uniform draws, no truncated range)', () => {
    const seen = new Set(generateValue(4000, 'base64url'));
    expect(seen.size).toBe(64);
  });
});

describe('pending revocations', () => {
  const scheduled = {
    step: 'revocation-scheduled',
    status: 'ok' as const,
    at: new Date(),
    details: { keyIds: [7], dueAt: '2026-01-02T00:00:00.000Z' },
  };
  it('lists scheduled revocations of successful rotations not yet carried out', () => {
    expect(pendingRevocations([rec({ steps: [scheduled] })]).map((p) => p.keyIds)).toEqual([[7]]);
    expect(pendingRevocations([rec({ steps: [scheduled, { ...scheduled, step: 'revoke-old' }] })])).toEqual(
      [],
    );
    expect(pendingRevocations([rec({ status: 'failed', steps: [scheduled] })])).toEqual([]);
  });
});

describe('object storage key labels', () => {
  it('fit the API limit of 50 characters and share a per-secret prefix', () => {
    const l = keyLabel(
      'production',
      'a-very-long-secret-name-that-goes-on-and-on',
      new Date('2026-11-26T09:00:00Z'),
    );
    expect(l.length).toBeLessThanOrEqual(50);
    expect(l.startsWith(keyLabelPrefix('production', 'a-very-long-secret-name-that-goes-on-and-on'))).toBe(
      true,
    );
    expect(keyLabel('production', 'objstore-key', new Date('2026-11-26T09:00:00Z'))).toBe(
      'envc-production-objstore-key-261126090000',
    );
  });
});
