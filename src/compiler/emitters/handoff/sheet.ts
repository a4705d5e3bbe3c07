/**
 * The handoff sheet: what an app team gets in one environment — namespaces, limits, ingress hosts, where
 * data-service credentials live (Secret references, never values), secret names, dashboards, the
 * NetworkPolicy overrides in use and how to get access. Built from the model by a pure function; the
 * emitter writes it as `handoff/<env>.json` (+ a Markdown rendering), `envc handoff` prints it and the bot
 * serves it at `GET /api/v1/handoff/{env}`. Its JSON Schema is schemas/handoff.schema.json.
 */

import { BURN_RATE_WINDOWS, errorBudget, SLO_PERIOD } from '../../../probe/burn-rate.js';
import type { EnvironmentModel, Model, ResourcePair } from '../../model.js';
import { formatCpu, formatDuration, formatMemory } from '../../quantities.js';
import { effectiveAllowFrom } from '../kubernetes/network-policies.js';
import { podSecurityLevel } from '../kubernetes/platform.js';
import { expectedKeys } from '../kubernetes/sealed-secrets.js';
import {
  ALLOW_FROM_ANNOTATION,
  argocdBaseUrl,
  DASHBOARDS,
  grafanaBaseUrl,
  hostOf,
  postgresConnectionSecret,
  postgresCredentialsSecret,
  postgresSecretKeys,
  presentSecrets,
  REDIS_PASSWORD_KEY,
  redisCredentialsSecret,
  redisEndpoint,
} from './conventions.js';

export const HANDOFF_API_VERSION = 'envc.dev/handoff/v1';

export interface Resources {
  cpu: string;
  memory: string;
}

/** A reference to a Kubernetes Secret: its name, the namespaces that receive it and the keys it holds. */
export interface SecretRef {
  name: string;
  namespaces: string[];
  keys: string[];
}

export interface HandoffSheet {
  apiVersion: typeof HANDOFF_API_VERSION;
  kind: 'Handoff';
  platform: string;
  environment: {
    name: string;
    tier: EnvironmentModel['tier'];
    description?: string;
    region: string;
    kubernetesVersion: string;
    cluster: string;
    highAvailability: boolean;
    protected: boolean;
  };
  contacts: { owner: string; slackChannel: string };
  namespaces: Array<{
    name: string;
    kind: 'app' | 'platform';
    owner: string;
    services: string[];
    /** The Pod Security Admission level enforced there. */
    podSecurity: 'restricted' | 'baseline' | 'privileged';
  }>;
  limits: {
    services: number;
    podsPerService: number;
    perService: { requests: Resources; limits: Resources };
    total: { requests: Resources; limits: Resources; pods: number };
  };
  ingress: {
    domain: string;
    hosts: Array<{ service: string; namespace: string; host: string; path: string; url: string }>;
  };
  services: Array<{
    name: string;
    owner: string;
    namespace: string;
    description?: string;
    image: string;
    port: number;
    health: string;
    url?: string;
    metrics?: { port: number; path: string };
    replicas: number;
    autoscaling?: { min: number; max: number; targetCPUUtilization: number };
    resources: { requests: Resources; limits: Resources };
    dataServices: Array<'postgres' | 'redis'>;
    secrets: string[];
    allowFrom: string[];
  }>;
  dataServices: Array<{
    name: 'postgres' | 'redis';
    engine: string;
    version: string;
    /** Database nodes (postgres) or Redis replicas. */
    nodes: number;
    managed: boolean;
    /**
     * Where the service is: a Secret when the address is only known once it exists (PostgreSQL: host, port,
     * CA, written by Terraform), or the address itself when envc decides it (in-cluster Redis: its Service,
     * or its Sentinel's with the master set to ask for).
     */
    endpoint: { secretRef?: SecretRef; host?: string; port?: number; sentinel?: { masterSet: string } };
    /** The Secret with the login, when it is not the endpoint's (PostgreSQL and Redis: a rotated SealedSecret). */
    credentials?: { secretRef: SecretRef };
    /** Every connection key → the Secret that holds it (exactly one each). */
    secretKeys: Record<string, string>;
    consumers: string[];
  }>;
  secrets: Array<{
    name: string;
    source: string;
    description?: string;
    rotateEvery: string;
    gracePeriod?: string;
    scope: 'strict' | 'namespace-wide';
    usedBy: string[];
    secretRef: SecretRef;
  }>;
  networkPolicy: {
    defaultDeny: true;
    annotation: typeof ALLOW_FROM_ANNOTATION;
    /**
     * Every use of the allow-from override in this environment: `from` is what the NetworkPolicies admit,
     * `dropped` the spec's sources that do not run here (no policy names them).
     */
    allowFrom: Array<{ service: string; namespace: string; from: string[]; dropped?: string[] }>;
    egressAllowlist: Array<{ name: string; cidrs: string[]; ports: number[]; protocol: 'TCP' | 'UDP' }>;
  };
  observability: {
    metricsRetention: string;
    logsRetention: string;
    tracesRetention: string;
    dashboards: Array<{ title: string; url: string }>;
    alertsChannel: string;
  };
  slo: {
    availability: number;
    period: string;
    errorBudget: number;
    burnRateAlerts: Array<{ long: string; short: string; factor: number; severity: 'page' | 'ticket' }>;
  };
  access: {
    policies: Array<{
      name: string;
      description?: string;
      role: 'view' | 'debug' | 'edit' | 'admin';
      scope: 'namespace' | 'cluster';
      maxDuration: string;
      approvers: string[];
      minApprovals: number;
      breakGlass: boolean;
      request: string;
    }>;
  };
  deployment: {
    gitops: { repoURL: string; path: string; targetRevision: string };
    argocd: { autoSync: boolean; url?: string };
    approvals: { required: boolean; approvers: string[]; minApprovals: number; expiresAfter: string };
  };
}

const resources = (r: ResourcePair): Resources => ({ cpu: r.cpu.text, memory: r.memory.text });
const totals = (t: { cpuMillis: number; memoryBytes: number }): Resources => ({
  cpu: formatCpu(t.cpuMillis),
  memory: formatMemory(t.memoryBytes),
});
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Builds the handoff sheet of one environment. Pure; the same model gives the same sheet. */
export function buildHandoff(model: Model, env: EnvironmentModel): HandoffSheet {
  const argocd = argocdBaseUrl(model);
  const consumersOf = (kind: 'postgres' | 'redis') =>
    env.services.filter((s) => s.dataServices.includes(kind));

  const dataServices: HandoffSheet['dataServices'] = [];
  const pg = env.dataServices.postgres;
  const connection = postgresConnectionSecret(env);
  if (pg && connection) {
    const credentials = postgresCredentialsSecret(env);
    dataServices.push({
      name: 'postgres',
      engine: 'postgresql',
      version: pg.version,
      nodes: pg.nodes,
      managed: true,
      endpoint: { secretRef: secretRef(connection) },
      ...(credentials ? { credentials: { secretRef: secretRef(credentials) } } : {}),
      secretKeys: postgresSecretKeys(env),
      consumers: consumersOf('postgres').map((s) => s.name),
    });
  }
  const redis = env.dataServices.redis;
  const redisAt = redisEndpoint(env);
  const redisSecret = redisCredentialsSecret(env);
  if (redis && redisAt && redisSecret) {
    dataServices.push({
      name: 'redis',
      engine: 'redis',
      version: redis.version,
      nodes: redis.replicas,
      managed: false,
      endpoint: {
        host: redisAt.host,
        port: redisAt.port,
        ...(redisAt.masterSet ? { sentinel: { masterSet: redisAt.masterSet } } : {}),
      },
      credentials: { secretRef: secretRef(redisSecret) },
      secretKeys: { [REDIS_PASSWORD_KEY]: redisSecret.name },
      consumers: consumersOf('redis').map((s) => s.name),
    });
  }

  const specSecrets = new Map(model.secrets.map((s) => [s.name, s]));

  return {
    apiVersion: HANDOFF_API_VERSION,
    kind: 'Handoff',
    platform: model.platform,
    environment: {
      name: env.name,
      tier: env.tier,
      ...(env.description ? { description: env.description } : {}),
      region: env.region,
      kubernetesVersion: env.kubernetesVersion,
      cluster: env.cluster.label,
      highAvailability: env.cluster.highAvailability,
      protected: env.protected,
    },
    contacts: { owner: model.owner, slackChannel: model.slack.channel },
    namespaces: env.namespaces.map((ns) => ({
      name: ns.name,
      kind: ns.kind,
      owner: ns.owner,
      services: [...ns.services].sort(),
      podSecurity: podSecurityLevel(ns),
    })),
    limits: {
      services: env.quotas.services,
      podsPerService: env.quotas.podsPerService,
      perService: {
        requests: resources(env.quotas.perService.requests),
        limits: resources(env.quotas.perService.limits),
      },
      total: {
        requests: totals(env.quotas.total.requests),
        limits: totals(env.quotas.total.limits),
        pods: env.quotas.total.pods,
      },
    },
    ingress: {
      domain: env.network.dns.zone,
      hosts: env.services
        .filter((s) => s.ingress)
        .map((s) => ({
          service: s.name,
          namespace: s.namespace,
          host: s.ingress!.host,
          path: s.ingress!.path,
          url: `https://${s.ingress!.host}${s.ingress!.path}`,
        })),
    },
    services: env.services.map((s) => ({
      name: s.name,
      owner: s.owner,
      namespace: s.namespace,
      ...(s.description ? { description: s.description } : {}),
      image: s.image,
      port: s.port,
      health: s.health,
      ...(s.ingress ? { url: `https://${s.ingress.host}${s.ingress.path}` } : {}),
      ...(s.metrics ? { metrics: { port: s.metrics.port, path: s.metrics.path } } : {}),
      replicas: s.replicas,
      ...(s.autoscaling ? { autoscaling: { ...s.autoscaling } } : {}),
      resources: { requests: resources(s.resources.requests), limits: resources(s.resources.limits) },
      dataServices: [...s.dataServices].sort(),
      // The secrets it gets here (a spec secret limited to other environments is not sealed here).
      secrets: sorted(presentSecrets(env, s)),
      // What the NetworkPolicies admit here (sources that do not run here are listed under networkPolicy).
      allowFrom: effectiveAllowFrom(env, s),
    })),
    dataServices,
    secrets: env.secrets.map((s) => {
      const spec = specSecrets.get(s.name);
      return {
        name: s.name,
        source: s.source,
        ...(spec?.description ? { description: spec.description } : {}),
        rotateEvery: spec?.rotateEvery ?? formatDuration(s.rotateEverySeconds),
        ...(s.gracePeriodSeconds > 0 ? { gracePeriod: formatDuration(s.gracePeriodSeconds) } : {}),
        scope: s.scope,
        usedBy: [...s.usedBy],
        secretRef: { name: s.name, namespaces: [...s.namespaces], keys: expectedKeys(s.source, s.key) },
      };
    }),
    networkPolicy: {
      defaultDeny: true,
      annotation: ALLOW_FROM_ANNOTATION,
      allowFrom: allowFromInUse(env),
      egressAllowlist: env.network.egressAllowlist.map((e) => ({
        name: e.name,
        cidrs: [...e.cidrs],
        ports: [...e.ports],
        protocol: e.protocol,
      })),
    },
    observability: {
      metricsRetention: env.observability.retention,
      logsRetention: env.observability.logsRetention,
      tracesRetention: env.observability.tracesRetention,
      dashboards: dashboards(model, env),
      alertsChannel: model.slack.channel,
    },
    slo: {
      availability: model.slo.availability,
      period: SLO_PERIOD,
      errorBudget: errorBudget(model.slo.availability),
      burnRateAlerts: BURN_RATE_WINDOWS.map((w) => ({
        long: w.long,
        short: w.short,
        factor: w.factor,
        severity: w.severity,
      })),
    },
    access: {
      policies: model.accessPolicies
        .filter((p) => p.environments.includes(env.name))
        .map((p) => ({
          name: p.name,
          ...(p.description ? { description: p.description } : {}),
          role: p.role,
          scope: p.scope,
          maxDuration: p.maxDuration,
          approvers: [...p.approvers],
          minApprovals: p.minApprovals,
          breakGlass: p.breakGlass,
          request: `/infra access ${env.name} ${p.name} ${p.maxDuration} "<reason>"`,
        })),
    },
    deployment: {
      gitops: {
        repoURL: model.gitops.repoURL,
        path: `${model.gitops.path.replace(/\/+$/, '')}/${env.name}`,
        targetRevision: model.gitops.targetRevision,
      },
      argocd: { autoSync: env.argocd.autoSync, ...(argocd ? { url: argocd } : {}) },
      approvals: {
        required: env.approvals.required,
        approvers: [...env.approvals.approvers],
        minApprovals: env.approvals.minApprovals,
        expiresAfter: env.approvals.expiresAfter,
      },
    },
  };
}

/** A data-service Secret as the sheet references it (name, namespaces, keys — never who writes it or values). */
function secretRef(s: { name: string; namespaces: string[]; keys: string[] }): SecretRef {
  return { name: s.name, namespaces: [...s.namespaces], keys: [...s.keys] };
}

/**
 * The allow-from overrides as the NetworkPolicies apply them in this environment (the Kubernetes emitter's
 * own filter), with the spec's sources that do not run here named as dropped.
 */
function allowFromInUse(env: EnvironmentModel): HandoffSheet['networkPolicy']['allowFrom'] {
  return env.services
    .filter((s) => s.allowFrom.length > 0)
    .map((s) => {
      const from = effectiveAllowFrom(env, s);
      const dropped = s.allowFrom.filter((ref) => !from.includes(ref));
      return { service: s.name, namespace: s.namespace, from, ...(dropped.length > 0 ? { dropped } : {}) };
    });
}

/**
 * Grafana dashboards that show this environment: every environment's own Grafana (`grafana.<zone>`, the
 * kube-prometheus-stack ingress host) has environment health and the availability SLO; access overview lives
 * in the Grafana of the environment that runs the bot (where the Kubernetes emitter puts that dashboard).
 */
function dashboards(model: Model, env: EnvironmentModel): Array<{ title: string; url: string }> {
  const own = grafanaBaseUrl(env);
  const botEnv = hostOf(model, 'bot');
  return DASHBOARDS.flatMap((d): Array<{ title: string; url: string }> => {
    if (d.uid !== 'envc-access-overview') return [{ title: d.title, url: `${own}/d/${d.uid}` }];
    return botEnv ? [{ title: d.title, url: `${grafanaBaseUrl(botEnv)}/d/${d.uid}` }] : [];
  });
}

/** The sheet as written to generated/ and served by the bot: two-space JSON with a final newline. */
export function renderHandoffJson(sheet: HandoffSheet): string {
  return `${JSON.stringify(sheet, null, 2)}\n`;
}
