import { budgetOf } from '../budget.js';
import type {
  AccessPolicyModel,
  EnvironmentModel,
  Model,
  NamespaceModel,
  SecretInstance,
  SecretModel,
  ServiceInstance,
  Tier,
} from '../model.js';
import { parseDuration } from '../quantities.js';
import type { Environment as SpecEnvironment } from '../spec.generated.js';
import { clusterModel } from './cluster.js';
import type { NormalizeContext, Seg } from './context.js';
import { pair, qty } from './context.js';
import { networkModel } from './network.js';
import { secretInstances } from './secrets.js';

/**
 * Platform namespaces every environment gets (envc-bot too: the bot's ServiceAccount is its identity in every
 * cluster); argocd only where it is hosted.
 */
export const PLATFORM_NAMESPACES = [
  'cert-manager',
  'envc-bot',
  'ingress-nginx',
  'monitoring',
  'sealed-secrets',
] as const;

/**
 * Namespaces a service may not be deployed into (a service's namespace is its owner): Kubernetes' own, and
 * every namespace envc creates for the platform in some environment.
 */
export const RESERVED_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
  ...PLATFORM_NAMESPACES,
  'argocd',
  'data',
  'envc-system',
]);

/** What one environment's model is built from besides its own spec block. */
export interface EnvironmentInputs {
  defaults: Model['defaults'];
  owner: string;
  services: ServiceInstance[];
  policies: AccessPolicyModel[];
  secrets: SecretModel[];
}

/** One environment: defaults applied, namespaces and secrets placed, quotas totalled. */
export function environmentModel(
  ctx: NormalizeContext,
  name: string,
  env: SpecEnvironment,
  inputs: EnvironmentInputs,
): EnvironmentModel {
  const { spec, origin } = ctx;
  const { defaults, owner, services, policies } = inputs;
  const at: Seg[] = ['environments', name];
  const tier = env.tier as Tier;
  const label = `${spec.platform}-${name}`;
  const hosts = [...(env.hosts ?? [])].sort() as EnvironmentModel['hosts'];
  const approvals = env.approvals ?? { required: false };
  const retention = env.observability?.retention ?? '7d';
  const retentionSeconds = parseDuration(retention) ?? 0;
  const tracesDefault = retentionSeconds > 7 * 86_400 ? '7d' : retention;
  const secrets = secretInstances(name, inputs.secrets, services);

  const pg = env.dataServices?.postgres;
  const redis = env.dataServices?.redis;
  return {
    name,
    tier,
    ...(env.description ? { description: env.description } : {}),
    region: env.region ?? defaults.region,
    kubernetesVersion: env.cluster.kubernetesVersion ?? defaults.kubernetesVersion,
    protected: env.protected ?? tier === 'production',
    ...(env.budget ? { budget: budgetOf(env.budget, origin([...at, 'budget'])) } : {}),
    hosts,
    tags: [
      ...new Set([
        `env:${name}`,
        `platform:${spec.platform}`,
        'managed-by:envc',
        `owner:${owner}`,
        ...defaults.tags,
      ]),
    ].sort(),
    cluster: clusterModel(ctx, env, at, label),
    network: networkModel(ctx, env, at, label),
    quotas: quotasModel(ctx, env, at),
    dataServices: {
      ...(pg
        ? {
            postgres: {
              label: `${spec.platform}-${name}-pg`,
              type: pg.type,
              version: pg.version,
              engineId: `postgresql/${pg.version}`,
              nodes: (pg.nodes ?? 1) as 1 | 2 | 3,
              allowList: pg.allowList ?? [],
              origin: origin([...at, 'dataServices', 'postgres']),
            },
          }
        : {}),
      ...(redis
        ? {
            redis: {
              replicas: redis.replicas ?? 1,
              memory: qty(redis.memory ?? '1Gi', 'memory'),
              version: redis.version ?? '7.4',
              origin: origin([...at, 'dataServices', 'redis']),
            },
          }
        : {}),
    },
    observability: {
      retention,
      logsRetention: env.observability?.logsRetention ?? retention,
      tracesRetention: env.observability?.tracesRetention ?? tracesDefault,
      retentionSeconds,
    },
    argocd: { autoSync: env.argocd?.autoSync ?? tier !== 'production' },
    approvals: {
      required: approvals.required,
      approvers: approvals.approvers ?? (approvals.required ? [...(spec.slack.approvers ?? [])] : []),
      minApprovals: approvals.minApprovals ?? 1,
      expiresAfter: approvals.expiresAfter ?? '1h',
      expiresAfterSeconds: parseDuration(approvals.expiresAfter ?? '1h') ?? 3600,
      allowDestroy: approvals.allowDestroy ?? false,
      origin: origin(env.approvals ? [...at, 'approvals'] : at),
    },
    namespaces: namespaceModels(env, hosts, owner, services, secrets),
    services,
    accessPolicies: policies.filter((p) => p.environments.includes(name)).map((p) => p.name),
    secrets,
    origin: origin(at),
  };
}

/** App namespaces (one per owning team) plus the platform's, sorted by name. */
function namespaceModels(
  env: SpecEnvironment,
  hosts: EnvironmentModel['hosts'],
  owner: string,
  services: ServiceInstance[],
  secrets: SecretInstance[],
): NamespaceModel[] {
  const namespaces = new Map<string, NamespaceModel>();
  for (const s of services) {
    const ns = namespaces.get(s.namespace) ?? {
      name: s.namespace,
      kind: 'app' as const,
      owner: s.owner,
      services: [],
    };
    ns.services.push(s.name);
    namespaces.set(s.namespace, ns);
  }
  const platformNs: string[] = [...PLATFORM_NAMESPACES];
  if (hosts.includes('argocd')) platformNs.push('argocd');
  if (env.dataServices?.redis) platformNs.push('data');
  for (const ns of platformNs)
    if (!namespaces.has(ns)) namespaces.set(ns, { name: ns, kind: 'platform', owner, services: [] });
  if (secrets.some((s) => s.namespaces.includes('envc-system')) && !namespaces.has('envc-system')) {
    namespaces.set('envc-system', { name: 'envc-system', kind: 'platform', owner, services: [] });
  }
  return [...namespaces.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function quotasModel(ctx: NormalizeContext, env: SpecEnvironment, at: Seg[]): EnvironmentModel['quotas'] {
  const q = env.quotas;
  const per = { requests: pair(q.perService.requests), limits: pair(q.perService.limits) };
  const podsPerService = q.podsPerService ?? 10;
  const services = q.services ?? 30;
  return {
    services,
    perService: per,
    podsPerService,
    total: {
      requests: {
        cpuMillis: per.requests.cpu.value * services,
        memoryBytes: per.requests.memory.value * services,
      },
      limits: {
        cpuMillis: per.limits.cpu.value * services,
        memoryBytes: per.limits.memory.value * services,
      },
      pods: podsPerService * services,
    },
    origin: ctx.origin([...at, 'quotas']),
  };
}
