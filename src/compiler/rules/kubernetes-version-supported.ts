import { LKE_VERSIONS, supportedOn } from '../lke-versions.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * LKE creates and upgrades clusters only to the minor versions it offers (src/compiler/lke-versions.ts, the
 * one list): an older version is refused by the API and force-upgraded on existing clusters, an unknown one
 * does not exist.
 */
export const kubernetesVersionSupported: Rule = {
  code: 'ENVC2042',
  name: 'kubernetes-version-supported',
  title: 'every environment runs a Kubernetes version LKE offers today',
  severity: 'error',
  check(model, ctx) {
    const findings: Finding[] = [];
    const offered = supportedOn(ctx.today).map((v) => v.minor);
    for (const env of model.environments) {
      if (offered.includes(env.kubernetesVersion)) continue;
      const known = LKE_VERSIONS.find((v) => v.minor === env.kubernetesVersion);
      const why = !known
        ? 'which LKE does not offer'
        : known.from > ctx.today
          ? `which LKE offers from ${known.from}`
          : `which LKE stopped offering on ${known.until}`;
      findings.push({
        origin: env.cluster.origin,
        message: `environment ${q(env.name)} runs Kubernetes ${q(env.kubernetesVersion)}, ${why}`,
        hint: `use one of ${offered.map((v) => q(v)).join(', ')} (upgrade one minor version at a time, non-production first)`,
      });
    }
    return findings;
  },
};
