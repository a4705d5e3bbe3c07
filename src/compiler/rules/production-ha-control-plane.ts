import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** A production cluster with a single control-plane replica goes down with one machine; LKE HA runs three. */
export const productionHaControlPlane: Rule = {
  code: 'ENVC2001',
  name: 'production-ha-control-plane',
  title: 'production clusters run a highly available control plane',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      if (env.tier !== 'production' || env.cluster.highAvailability) continue;
      findings.push({
        origin: env.cluster.origin,
        message: `production environment ${q(env.name)} has no highly available control plane`,
        hint: 'set `cluster.highAvailability: true` (LKE then runs three control-plane replicas)',
      });
    }
    return findings;
  },
};
