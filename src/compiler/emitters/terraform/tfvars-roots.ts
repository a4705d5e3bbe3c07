/**
 * terraform.tfvars.json of the two roots of an environment: each gets exactly the variables it declares, cut
 * from the one table of spec values (tfvars.ts). B's bring-up and flow models read these files: the shapes are
 * `cluster.control_plane_acl`, `firewall.{inbound,outbound}`, `dns.records`, `ingress.hosts` and `postgres`
 * (cluster root) and `namespaces`, `secrets`, `postgres.connection_secret`, `redis`, `argocd_applications`
 * (platform root).
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { sortedRecord } from '../kubernetes/objects.js';
import { managedNamespaces, namespaceLabels, PLATFORM, talksToApiServer } from '../kubernetes/platform.js';
import { ingressHostKeys } from './ingress-hosts.js';
import { buildTfvars } from './tfvars.js';

function pick(all: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (all[k] !== undefined) out[k] = all[k];
  return out;
}

/** The ingress NodeBalancer (label: <platform>-<env>-ingress, at most 32 characters) and every host's name. */
function ingress(env: EnvironmentModel) {
  return {
    label: `${env.cluster.label}-ingress`.slice(0, 32).replace(/[-_]+$/, ''),
    hosts: Object.fromEntries(ingressHostKeys(env).map((h) => [h.key, h.name])),
  };
}

export function clusterTfvars(model: Model, env: EnvironmentModel): Record<string, unknown> {
  const all = buildTfvars(model, env, { argocdHost: false, stateHost: false });
  const out = pick(all, [
    '//',
    'environment',
    'platform',
    'owner',
    'tier',
    'extra_tags',
    'region',
    'kubernetes_version',
    'cluster',
    'firewall',
    'dns',
  ]);
  out.ingress = ingress(env);
  if (all.vpc) out.vpc = all.vpc;
  const pg = all.postgres as Record<string, unknown> | undefined;
  if (pg)
    out.postgres = pick(pg, ['label', 'type', 'engine_id', 'cluster_size', 'allow_list', 'maintenance']);
  return out;
}

export function platformTfvars(
  model: Model,
  env: EnvironmentModel,
  r: { argocdHost: boolean; registration?: EnvironmentModel },
): Record<string, unknown> {
  const all = buildTfvars(model, env, { argocdHost: r.argocdHost, stateHost: false });
  const out = pick(all, ['//', 'environment', 'namespaces', 'secrets']);
  out.api_server_namespaces = Object.fromEntries(
    managedNamespaces(env)
      .filter((ns) => ns.kind !== 'app' && talksToApiServer(ns.name))
      .map((ns) => [ns.name, sortedRecord(namespaceLabels(env, ns))]),
  );
  const pg = all.postgres as Record<string, unknown> | undefined;
  if (pg) out.postgres = pick(pg, ['connection_secret', 'credentials_secret', 'egress_policy', 'namespaces']);
  if (all.redis) out.redis = all.redis;
  if (all.argocd_applications) out.argocd_applications = all.argocd_applications;
  if (all.argocd_projects) out.argocd_projects = all.argocd_projects;
  if (r.registration) out.argocd_namespace = PLATFORM.argocd;
  return out;
}
