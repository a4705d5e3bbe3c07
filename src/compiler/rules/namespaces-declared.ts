import { suggest } from '../diagnostics/suggest.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * ArgoCD applications sync into their service owners' namespaces and access policies bind roles there; a
 * namespace envc does not declare gets no quota, no network policy and no RBAC, and the sync fails.
 */
export const namespacesDeclared: Rule = {
  code: 'ENVC2015',
  name: 'namespaces-declared',
  title: 'every ArgoCD destination and access-policy namespace is declared in its environment',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const declared = new Set(env.namespaces.map((n) => n.name));
      for (const svc of env.services) {
        if (declared.has(svc.namespace)) continue;
        findings.push({
          origin: svc.origin,
          message: `ArgoCD would sync ${q(svc.name)} into namespace ${q(svc.namespace)}, which ${q(env.name)} does not declare`,
          hint: `the service's \`owner\` names its namespace; declared namespaces: ${[...declared].sort().join(', ') || 'none'}`,
        });
      }
    }
    for (const p of model.accessPolicies) {
      if (!p.namespaces) continue;
      for (const envName of p.environments) {
        const env = model.environments.find((e) => e.name === envName);
        if (!env) continue; // an unknown environment is reported by normalize
        const declared = env.namespaces.map((n) => n.name);
        for (const ns of p.namespaces) {
          if (declared.includes(ns)) continue;
          const near = suggest(ns, declared);
          findings.push({
            origin: p.origin,
            message: `access policy ${q(p.name)} grants access to namespace ${q(ns)}, which ${q(envName)} does not declare`,
            hint: near
              ? `did you mean ${q(near)}?`
              : `declared namespaces in ${q(envName)}: ${declared.join(', ') || 'none'}`,
          });
        }
      }
    }
    return findings;
  },
};
