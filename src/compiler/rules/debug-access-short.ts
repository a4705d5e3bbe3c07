import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

export const MAX_DEBUG_SECONDS = 3600;

/**
 * `debug` (exec, attach, port-forward) reads whatever the pods mount — their Secrets and tokens included — so
 * it is granted only with approval (never break-glass, never standing) and for at most an hour.
 */
export const debugAccessShort: Rule = {
  code: 'ENVC2030',
  name: 'debug-access-short',
  title: 'debug access policies are approved, not standing, and last at most 1h',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const p of model.accessPolicies) {
      if (p.role !== 'debug') continue;
      const at = (message: string, hint: string) => findings.push({ origin: p.origin, message, hint });
      if (p.maxDurationSeconds > MAX_DEBUG_SECONDS)
        at(
          `debug policy ${q(p.name)} lasts up to ${q(p.maxDuration)}, longer than 1h`,
          'set `maxDuration: 1h` or less; request again when the session needs more',
        );
      if (p.breakGlass)
        at(
          `debug policy ${q(p.name)} is break-glass (cluster-wide incident access)`,
          'drop `breakGlass`; exec access is always approved by someone else',
        );
      if (p.groups.length > 0)
        at(
          `debug policy ${q(p.name)} binds groups standing (${p.groups.map(q).join(', ')})`,
          'drop `groups`: debug access is just in time only',
        );
    }
    return findings;
  },
};
