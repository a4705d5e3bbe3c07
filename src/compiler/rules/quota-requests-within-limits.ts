import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Kubernetes rejects a container whose request exceeds its limit; a per-service budget like that is unusable. */
export const quotaRequestsWithinLimits: Rule = {
  code: 'ENVC2006',
  name: 'requests-within-limits',
  title: 'requests never exceed limits (per-service quota budgets and service resources)',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const per = env.quotas.perService;
      for (const kind of ['cpu', 'memory'] as const) {
        if (per.requests[kind].value > per.limits[kind].value) {
          findings.push({
            origin: env.quotas.origin,
            message: `per-service ${kind} request ${q(per.requests[kind].text)} in ${q(env.name)} exceeds the limit ${q(per.limits[kind].text)}`,
            hint: `raise \`quotas.perService.limits.${kind}\` or lower \`quotas.perService.requests.${kind}\``,
          });
        }
      }
    }
    // A service is declared once; report it once, not once per environment.
    const seen = new Set<string>();
    for (const env of model.environments) {
      for (const svc of env.services) {
        for (const kind of ['cpu', 'memory'] as const) {
          const key = `${svc.name}/${kind}`;
          if (seen.has(key) || svc.resources.requests[kind].value <= svc.resources.limits[kind].value)
            continue;
          seen.add(key);
          findings.push({
            origin: svc.origin,
            message: `service ${q(svc.name)} requests ${kind} ${q(svc.resources.requests[kind].text)}, more than its limit ${q(svc.resources.limits[kind].text)}`,
            hint: `raise \`resources.limits.${kind}\` or lower \`resources.requests.${kind}\``,
          });
        }
      }
    }
    return findings;
  },
};
