import { minorOf, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * Upgrades go development → staging → production: production must never run a minor version that no
 * non-production environment has run first. And environments more than one minor apart mean manifests are
 * tested against one API set and applied to another.
 */
export const kubernetesVersion: Rule = {
  code: 'ENVC2021',
  name: 'kubernetes-version',
  title:
    'production runs no newer Kubernetes than non-production; environments stay within one minor version',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    const versioned = model.environments
      .map((e) => ({ env: e, minor: minorOf(e.kubernetesVersion) }))
      .filter((x): x is { env: (typeof model.environments)[number]; minor: number } => x.minor !== undefined);
    const nonProd = versioned.filter((x) => x.env.tier === 'non-production');
    if (nonProd.length > 0) {
      const newestNonProd = Math.max(...nonProd.map((x) => x.minor));
      for (const x of versioned) {
        if (x.env.tier !== 'production' || x.minor <= newestNonProd) continue;
        findings.push({
          origin: x.env.origin,
          message: `production environment ${q(x.env.name)} runs Kubernetes ${q(x.env.kubernetesVersion)}, newer than every non-production environment (newest 1.${newestNonProd})`,
          hint: `upgrade a non-production environment to ${x.env.kubernetesVersion} first, or keep production on 1.${newestNonProd}`,
        });
      }
    }
    if (versioned.length > 1) {
      const lo = Math.min(...versioned.map((x) => x.minor));
      const hi = Math.max(...versioned.map((x) => x.minor));
      if (hi - lo > 1) {
        // Report at the oldest environment(s): they are the ones to upgrade.
        for (const x of versioned) {
          if (x.minor !== lo) continue;
          findings.push({
            origin: x.env.origin,
            message: `environment ${q(x.env.name)} runs Kubernetes ${q(x.env.kubernetesVersion)}, more than one minor version behind 1.${hi}`,
            hint: `upgrade ${q(x.env.name)} to 1.${hi - 1} or later (one minor version at a time)`,
          });
        }
      }
    }
    return findings;
  },
};
