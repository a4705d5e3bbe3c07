/**
 * terraform.tfvars.json of one environment stack: every value that comes from the spec, so that main.tf reads
 * like a table of contents. Pure: the model in, a plain JSON-able object out (key order is the output order).
 */
import type { EnvironmentModel, FirewallRuleModel, Model } from '../../model.js';
import { formatDuration } from '../../quantities.js';
import {
  postgresConnectionSecret,
  postgresCredentialsSecret,
  REDIS_PASSWORD_KEY,
  redisCredentialsSecret,
  redisEndpoint,
} from '../handoff/conventions.js';
import { rootApplications, rootProjects } from '../kubernetes/argocd.js';
import { sortedRecord } from '../kubernetes/objects.js';
import {
  ANNOTATION,
  COMPONENTS,
  managedNamespaces,
  namespaceLabels,
  PLATFORM,
} from '../kubernetes/platform.js';
import { POSTGRES_EGRESS_POLICY, postgresEgressPolicy } from '../kubernetes/service-policies.js';
import { generatedHeader } from '../types.js';
import {
  LKE_INBOUND_RULES,
  LKE_OUTBOUND_RULES,
  maintenanceWindow,
  objectStorageRegion,
  type TfFirewallRule,
} from './lke.js';

/** The key holder whose scoped state key the envc runner and bot use. */
export const BOT_KEY_HOLDER = 'envc-bot';

/** Tags the locals.tf convention builds itself; everything else in env.tags is passed as extra_tags. */
function extraTags(model: Model, env: EnvironmentModel): string[] {
  const conventional = new Set([
    `env:${env.name}`,
    `platform:${model.platform}`,
    'managed-by:envc',
    `owner:${model.owner}`,
  ]);
  return env.tags.filter((t) => !conventional.has(t));
}

/**
 * Pools LKE will create. An LKE pool holds at least one node (count and autoscaler minimum at least 1), so a
 * `count: 0` pool is refused by checks.ts (ENVC3204) before anything is emitted; this filter only guards.
 */
export function createdPools(env: EnvironmentModel) {
  return env.cluster.pools.filter((p) => p.count > 0);
}

function pools(env: EnvironmentModel) {
  return createdPools(env).map((p) => ({
    name: p.name,
    type: p.type,
    // With an autoscaler LKE owns the node count; writing one would make every plan fight the autoscaler.
    ...(p.autoscaler ? { autoscaler: { min: p.autoscaler.min, max: p.autoscaler.max } } : { count: p.count }),
    // The pool name is also a node label, so workloads (and the GPU taint's tolerations) can select a pool.
    labels: { pool: p.name, ...p.labels },
    taints: p.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
  }));
}

function rule(r: FirewallRuleModel | TfFirewallRule) {
  return {
    label: r.label,
    action: r.action,
    protocol: r.protocol,
    ...(r.ports ? { ports: r.ports } : {}),
    // The API rejects an empty address list; an absent one is null.
    ...(r.ipv4 && r.ipv4.length > 0 ? { ipv4: [...r.ipv4] } : {}),
    ...(r.ipv6 && r.ipv6.length > 0 ? { ipv6: [...r.ipv6] } : {}),
    ...(r.description ? { description: r.description } : {}),
  };
}

/** A firewall rule label: 3–32 characters. */
function ruleLabel(base: string): string {
  return base.slice(0, 32).replace(/[-_.]+$/, '');
}

/**
 * Outbound rules for the egress allowlist: pods reach those destinations only if the nodes' firewall lets
 * the traffic out too (the NetworkPolicy allow alone is not enough when the outbound policy is DROP).
 */
function egressRules(env: EnvironmentModel): TfFirewallRule[] {
  return env.network.egressAllowlist.map((e) => ({
    label: ruleLabel(`egress-${e.name}`),
    action: 'ACCEPT' as const,
    protocol: e.protocol,
    ports: e.ports.join(','),
    ipv4: e.cidrs,
    description: `egress allowlist: ${e.name}`,
  }));
}

export function firewall(env: EnvironmentModel) {
  const fw = env.network.firewall;
  return {
    label: fw.label,
    inbound_policy: fw.inboundPolicy,
    outbound_policy: fw.outboundPolicy,
    inbound: [...fw.inbound, ...LKE_INBOUND_RULES].map(rule),
    outbound: [...fw.outbound, ...egressRules(env), ...LKE_OUTBOUND_RULES].map(rule),
  };
}

/** Stable for_each keys: `<name or apex>-<type>`, `-2`, `-3`… for repeats, so editing a target is an update. */
export function dnsRecordKeys(env: EnvironmentModel): string[] {
  const seen = new Map<string, number>();
  return env.network.dns.records.map((r) => {
    const name = r.name === '' ? 'apex' : r.name === '*' ? 'wildcard' : r.name.replaceAll('*', 'wildcard');
    const base = `${name}-${r.type.toLowerCase()}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function dns(env: EnvironmentModel) {
  const keys = dnsRecordKeys(env);
  const records: Record<string, object> = {};
  env.network.dns.records.forEach((r, i) => {
    records[keys[i]!] = {
      name: r.name,
      type: r.type,
      target: r.target,
      ttl: r.ttl,
      ...(r.tag ? { tag: r.tag } : {}),
      ...(r.priority !== undefined ? { priority: r.priority } : {}),
    };
  });
  return { zone: env.network.dns.zone, soa_email: env.network.dns.soaEmail, records };
}

function namespaces(hostsArgocd: boolean) {
  return {
    cert_manager: PLATFORM.certManager,
    ingress: PLATFORM.ingress,
    monitoring: PLATFORM.monitoring,
    sealed_secrets: PLATFORM.sealedSecrets,
    ...(hostsArgocd ? { argocd: PLATFORM.argocd } : {}),
  };
}

function secrets(model: Model, env: EnvironmentModel) {
  const out: Record<string, object> = {};
  for (const s of env.secrets) {
    const spec = model.secrets.find((x) => x.name === s.name);
    out[s.name] = {
      source: s.source,
      rotate_every: spec?.rotateEvery ?? formatDuration(s.rotateEverySeconds),
      grace_period: spec?.gracePeriod ?? formatDuration(s.gracePeriodSeconds),
      scope: s.scope,
      namespaces: [...s.namespaces],
      last_rotated_source: `annotation ${ANNOTATION.rotatedAt} of SealedSecret ${s.name}; history in the envc store`,
    };
  }
  return out;
}

function postgres(env: EnvironmentModel) {
  const pg = env.dataServices.postgres;
  const connection = postgresConnectionSecret(env);
  if (!pg || !connection) return undefined;
  const credentials = postgresCredentialsSecret(env);
  return {
    label: pg.label,
    type: pg.type,
    engine_id: pg.engineId,
    cluster_size: pg.nodes,
    allow_list: [...pg.allowList],
    maintenance: maintenanceWindow(env.tier),
    // Terraform writes the connection Secret (host, port, ca.crt); the credentials are the rotated SealedSecret's.
    connection_secret: { name: connection.name, namespaces: connection.namespaces },
    credentials_secret: credentials
      ? { name: credentials.name, namespaces: credentials.namespaces, keys: credentials.keys }
      : null,
    // The consuming pods' egress to the database, filled with its real port and addresses at apply time.
    egress_policy: postgresEgressPolicy(env) ?? { name: POSTGRES_EGRESS_POLICY, services: {} },
    // Terraform writes into these namespaces before ArgoCD's first sync, so it creates them, with the labels
    // of namespaces.yaml (ArgoCD then adopts them).
    namespaces: Object.fromEntries(
      managedNamespaces(env)
        .filter((ns) => connection.namespaces.includes(ns.name))
        .map((ns) => [ns.name, sortedRecord(namespaceLabels(env, ns))]),
    ),
  };
}

/**
 * The in-cluster Redis release and where clients find it: host and port (Sentinel's when a master set is
 * named), and the password Secret — written by envc's rotation, not by Terraform, in `data` (the release reads
 * it) and in every consuming namespace.
 */
function redis(env: EnvironmentModel) {
  const r = env.dataServices.redis;
  const endpoint = redisEndpoint(env);
  const secret = redisCredentialsSecret(env);
  if (!r || !endpoint || !secret) return undefined;
  return {
    namespace: COMPONENTS.redis.namespace,
    replicas: r.replicas,
    version: r.version,
    host: endpoint.host,
    port: endpoint.port,
    sentinel_master_set: endpoint.masterSet ?? null,
    password_secret: { name: secret.name, key: REDIS_PASSWORD_KEY, namespaces: secret.namespaces },
  };
}

/**
 * The root Applications of the ArgoCD host (argocd-apps chart format), one per environment: each syncs
 * generated/kubernetes/<env>/argocd.yaml (that environment's AppProject and ApplicationSet, which deploy the
 * rest of generated/kubernetes/<env>) into the ArgoCD cluster. The Kubernetes emitter owns their shape, so the
 * Applications it validates are exactly the ones installed here.
 */
function argocdApplications(model: Model) {
  return rootApplications(model);
}

export function buildStateBackendTfvars(model: Model) {
  const sb = model.stateBackend;
  return {
    bucket: sb.bucket,
    region: objectStorageRegion(sb.cluster),
    key_prefix: sb.keyPrefix,
    ...(sb.backupBucket !== sb.bucket ? { backup_bucket: sb.backupBucket } : {}),
    key_holders: [BOT_KEY_HOLDER, ...sb.writers.filter((w) => w !== BOT_KEY_HOLDER)],
  };
}

export interface StackRoles {
  /** This environment runs ArgoCD. */
  argocdHost: boolean;
  /** This environment's stack creates the state bucket. */
  stateHost: boolean;
}

export function buildTfvars(model: Model, env: EnvironmentModel, roles: StackRoles): Record<string, unknown> {
  const pg = postgres(env);
  const rd = redis(env);
  return {
    // Terraform reads a "//" key of a .tfvars.json file as a comment.
    '//': generatedHeader('#').slice(2).trimEnd(),
    environment: env.name,
    platform: model.platform,
    owner: model.owner,
    tier: env.tier,
    extra_tags: extraTags(model, env),
    region: env.region,
    kubernetes_version: env.kubernetesVersion,
    cluster: {
      label: env.cluster.label,
      high_availability: env.cluster.highAvailability,
      lke_tier: env.cluster.tier,
      audit_logs_enabled: env.cluster.auditLogs,
      control_plane_acl: {
        enabled: env.cluster.controlPlaneAcl.enabled,
        ipv4: [...env.cluster.controlPlaneAcl.ipv4],
        ipv6: [...env.cluster.controlPlaneAcl.ipv6],
      },
      pools: pools(env),
    },
    firewall: firewall(env),
    dns: dns(env),
    ...(env.network.vpc
      ? {
          vpc: {
            label: env.cluster.label,
            subnet_label: `${env.cluster.label}-nodes`,
            subnet: env.network.vpc.subnet,
          },
        }
      : {}),
    namespaces: namespaces(roles.argocdHost),
    secrets: secrets(model, env),
    ...(pg ? { postgres: pg } : {}),
    ...(rd ? { redis: rd } : {}),
    ...(roles.argocdHost
      ? { argocd_applications: argocdApplications(model), argocd_projects: rootProjects(model) }
      : {}),
    ...(roles.stateHost ? { state_backend: buildStateBackendTfvars(model) } : {}),
  };
}
