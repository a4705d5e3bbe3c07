import { formatDuration } from '../quantities.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

export const MIN_ROTATION_SECONDS = 86_400;
export const MAX_ROTATION_SECONDS = 365 * 86_400;

/**
 * Rotating more often than daily churns every consumer; less often than yearly is no rotation at all. The old
 * credential's grace period must end before the next rotation, and a database password reset invalidates the
 * old password at once, so a grace period there would promise something Linode does not do.
 */
export const rotationBounds: Rule = {
  code: 'ENVC2011',
  name: 'rotation-bounds',
  title:
    'secret rotation periods lie within 1d–365d, grace periods are shorter, database credentials have none',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const s of model.secrets) {
      if (s.rotateEverySeconds < MIN_ROTATION_SECONDS || s.rotateEverySeconds > MAX_ROTATION_SECONDS) {
        findings.push({
          origin: s.origin,
          message: `secret ${q(s.name)} rotates every ${q(s.rotateEvery)}, outside the allowed 1d–365d`,
          hint:
            s.rotateEverySeconds < MIN_ROTATION_SECONDS
              ? 'use `rotateEvery: 1d` or longer'
              : 'use `rotateEvery: 365d` or shorter (90d is common)',
        });
      }
      if (s.source === 'linode-database-credentials') {
        if (s.gracePeriodSeconds > 0 || s.gracePeriod !== undefined) {
          findings.push({
            origin: s.origin,
            message: `secret ${q(s.name)} is a database credential but sets gracePeriod ${q(s.gracePeriod ?? formatDuration(s.gracePeriodSeconds))}`,
            hint: 'remove `gracePeriod`: a database password reset invalidates the old password at once',
          });
        }
      } else if (s.gracePeriodSeconds >= s.rotateEverySeconds) {
        findings.push({
          origin: s.origin,
          message: `secret ${q(s.name)} keeps the old value for ${q(s.gracePeriod ?? formatDuration(s.gracePeriodSeconds))}, not less than its rotation period ${q(s.rotateEvery)}`,
          hint: 'make `gracePeriod` shorter than `rotateEvery` (e.g. 24h for a 30d rotation)',
        });
      }
    }
    return findings;
  },
};
