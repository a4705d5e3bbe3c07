/**
 * Whole-platform settings that each file gets right on its own terms but that fail as a system: LKE
 * Enterprise-only fields on a standard cluster (the API rejects the create) and a protected environment
 * whose DNS zone or Cloud Firewall can still be destroyed. (The Watchdog's dead-man's switch is rule
 * ENVC2043 over the spec.) Read from the generated Terraform and Helm values. Pure.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { EnvironmentModel } from '../model.js';
import { platformDiagnostic } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';

export const CONFIG_CODES = {
  enterpriseOnly: 'ENVC2550',
  preventDestroy: 'ENVC2552',
} as const;

function enterpriseOnly(facts: PlatformFacts, env: EnvironmentModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const root of facts.roots.filter((r) => r.env === env.name))
    for (const r of root.resources.filter((x) => x.type === 'linode_lke_cluster')) {
      const tier = r.value(r.block.attrs.tier);
      if (tier === 'enterprise') continue;
      const cp = r.block.blocks.find((b) => b.type === 'control_plane');
      const audit = cp ? r.value(cp.attrs.audit_logs_enabled) : undefined;
      if (audit === true)
        out.push(
          platformDiagnostic(
            CONFIG_CODES.enterpriseOnly,
            env.cluster.origin,
            `${root.dir}: ${r.address} sets control_plane.audit_logs_enabled = true on a standard cluster; audit logs are an LKE Enterprise feature and the create is rejected`,
            'leave audit logs off, or run the environment on LKE Enterprise',
          ),
        );
    }
  return out;
}

function preventDestroy(facts: PlatformFacts, env: EnvironmentModel): Diagnostic[] {
  if (!env.protected) return [];
  const out: Diagnostic[] = [];
  for (const root of facts.roots.filter((r) => r.env === env.name))
    for (const r of root.resources) {
      if (r.type !== 'linode_domain' && r.type !== 'linode_firewall') continue;
      const lifecycle = r.block.blocks.find((b) => b.type === 'lifecycle');
      if (lifecycle?.attrs.prevent_destroy === 'true') continue;
      out.push(
        platformDiagnostic(
          CONFIG_CODES.preventDestroy,
          r.type === 'linode_domain' ? env.network.dns.origin : env.network.firewall.origin,
          `${root.dir}: ${r.address} of the protected environment ${env.name} has no prevent_destroy: a plan may delete it`,
          'protected environments keep their DNS zone and Cloud Firewall under prevent_destroy, like the cluster and databases',
        ),
      );
    }
  return out;
}

export function configChecks(facts: PlatformFacts): Diagnostic[] {
  return facts.model.environments.flatMap((env) => [
    ...enterpriseOnly(facts, env),
    ...preventDestroy(facts, env),
  ]);
}
