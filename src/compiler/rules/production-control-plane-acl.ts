import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** The Kubernetes API of a production cluster must be reachable only from known networks. */
export const productionControlPlaneAcl: Rule = {
  code: 'ENVC2002',
  name: 'production-control-plane-acl',
  title: 'production clusters restrict the Kubernetes API with a control-plane ACL',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      if (env.tier !== 'production') continue;
      const acl = env.cluster.controlPlaneAcl;
      const origin = acl.origin ?? env.cluster.origin;
      if (!acl.origin) {
        findings.push({
          origin,
          message: `production environment ${q(env.name)} has no control-plane ACL`,
          hint: 'add `cluster.controlPlaneAcl.ipv4: ["203.0.113.0/24"]` with the ranges that may reach the Kubernetes API',
        });
      } else if (!acl.enabled) {
        findings.push({
          origin,
          message: `production environment ${q(env.name)} disables the control-plane ACL`,
          hint: 'remove `enabled: false` and list the office/VPN ranges under `controlPlaneAcl.ipv4`',
        });
      } else if (acl.ipv4.length === 0 && acl.ipv6.length === 0) {
        findings.push({
          origin,
          message: `production environment ${q(env.name)} has no control-plane ACL addresses`,
          hint: 'add `cluster.controlPlaneAcl.ipv4: ["203.0.113.0/24"]` with the ranges that may reach the Kubernetes API',
        });
      } else {
        const open = [...acl.ipv4, ...acl.ipv6].find((c) => /\/0$/.test(c));
        if (open) {
          findings.push({
            origin,
            message: `production environment ${q(env.name)} opens the control-plane ACL to ${q(open)}`,
            hint: 'list only the office/VPN/CI ranges that need the Kubernetes API',
          });
        }
      }
    }
    return findings;
  },
};
