/**
 * Whole-platform settings that each file gets right on its own terms but that fail as a system: LKE
 * Enterprise-only fields on a standard cluster (the API rejects the create), a Watchdog alert routed to a
 * receiver that sends nothing (no dead-man's switch), and a protected environment whose DNS zone or Cloud
 * Firewall can still be destroyed. Read from the generated Terraform and Helm values. Pure.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { EnvironmentModel } from '../model.js';
import { platformDiagnostic } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';

export const CONFIG_CODES = {
  enterpriseOnly: 'ENVC2550',
  watchdog: 'ENVC2551',
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

interface Route {
  receiver?: string;
  matchers?: string[];
  routes?: Route[];
}

function watchdog(facts: PlatformFacts, env: EnvironmentModel): Diagnostic[] {
  const values = facts.values.get(`${env.name}/kube-prometheus-stack`) as
    | {
        alertmanager?: {
          enabled?: boolean;
          config?: { route?: Route; receivers?: Array<Record<string, unknown>> };
        };
      }
    | undefined;
  const am = values?.alertmanager;
  if (!am || am.enabled === false || !am.config?.route) return [];
  const find = (r: Route): Route | undefined =>
    (r.matchers ?? []).some((m) => /alertname\s*=\s*"?Watchdog"?/.test(m))
      ? r
      : (r.routes ?? []).map(find).find((x) => x !== undefined);
  const route = find(am.config.route) ?? am.config.route;
  const receiver = (am.config.receivers ?? []).find((x) => x.name === route.receiver);
  const sends = receiver && Object.keys(receiver).some((k) => k.endsWith('_configs'));
  if (sends) return [];
  return [
    platformDiagnostic(
      CONFIG_CODES.watchdog,
      env.origin,
      `${env.name}: Alertmanager routes the always-firing Watchdog alert to "${route.receiver ?? '(none)'}", which sends nothing: no dead-man's switch notices a silent alerting pipeline`,
      "route Watchdog to a heartbeat receiver (a webhook a dead-man's-switch service expects at an interval)",
    ),
  ];
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
    ...watchdog(facts, env),
    ...preventDestroy(facts, env),
  ]);
}
