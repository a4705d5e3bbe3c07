import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

export const MAX_BREAK_GLASS_SECONDS = 4 * 3600;

/** Break-glass is cluster-wide, so its window must be short enough to end with the incident. */
export const breakGlassDuration: Rule = {
  code: 'ENVC2016',
  name: 'break-glass-duration',
  title: 'break-glass access policies last at most 4h',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const p of model.accessPolicies) {
      if (!p.breakGlass || p.maxDurationSeconds <= MAX_BREAK_GLASS_SECONDS) continue;
      findings.push({
        origin: p.origin,
        message: `break-glass policy ${q(p.name)} lasts up to ${q(p.maxDuration)}, longer than 4h`,
        hint: 'set `maxDuration: 4h` or less; a longer incident can request again',
      });
    }
    return findings;
  },
};
