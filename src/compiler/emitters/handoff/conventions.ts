/**
 * Names the handoff sheet promises app teams and other parts of envc must honour: where data-service
 * connection details live (Kubernetes Secrets per consuming namespace, never the values; each Secret has
 * exactly one writer), which Grafana dashboards exist, and the annotation of the NetworkPolicy override. One
 * place, so the Terraform and Kubernetes emitters and the rotation code use the same names.
 */
import { type EnvironmentModel, type Model, PLATFORM_SECRETS, type ServiceInstance } from '../../model.js';
import { argocdHostname, COMPONENTS, grafanaHostname, PORTS } from '../kubernetes/platform.js';
import { expectedKeys } from '../kubernetes/sealed-secrets.js';

/**
 * The PostgreSQL connection Secret: where the database is, never who may log in. Terraform's data-services
 * module is its only writer (one per consuming namespace; it knows the host and the CA once the database
 * exists). Each key is filled from this attribute of `linode_database_postgresql_v2`.
 */
export const POSTGRES_CONNECTION_SECRET = 'postgres-connection';
export const POSTGRES_CONNECTION_DATA = {
  host: 'host_primary',
  port: 'port',
  'ca.crt': 'ca_cert',
} as const;
export const POSTGRES_CONNECTION_KEYS = Object.keys(POSTGRES_CONNECTION_DATA) as Array<
  keyof typeof POSTGRES_CONNECTION_DATA
>;
/**
 * The in-cluster Redis' password Secret (`data` and every consuming namespace): declared by envc itself
 * (model.ts PLATFORM_SECRETS), generated and sealed by envc's rotation — its only writer. It holds the
 * password only; where Redis is (host, port, Sentinel) is no secret and is in the handoff and the pods' env.
 */
export const REDIS_SECRET = PLATFORM_SECRETS.redis.name;
export const REDIS_PASSWORD_KEY = PLATFORM_SECRETS.redis.key;
/** The name Sentinel knows the primary by (the chart's `sentinel.masterSet`). */
export const REDIS_MASTER_SET = 'mymaster';
export const REDIS_SENTINEL_PORT = 26379;

/** How clients reach the in-cluster Redis of an environment. */
export interface RedisEndpoint {
  /**
   * `standalone`: one pod behind `redis`. `sentinel`: `replicas` pods (one primary, the rest replicas)
   * with Sentinel beside each; clients ask Sentinel (`host`:`port`) for the primary of `masterSet`.
   */
  mode: 'standalone' | 'sentinel';
  host: string;
  port: number;
  masterSet?: string;
}

/** One replica runs standalone; more run with Sentinel, which promotes a replica when the primary fails. */
export function redisEndpoint(env: EnvironmentModel): RedisEndpoint | undefined {
  const r = env.dataServices.redis;
  if (!r) return undefined;
  const svc = (name: string) => `${name}.${COMPONENTS.redis.namespace}.svc`;
  return r.replicas > 1
    ? {
        mode: 'sentinel',
        host: svc(COMPONENTS.redis.name),
        port: REDIS_SENTINEL_PORT,
        masterSet: REDIS_MASTER_SET,
      }
    : { mode: 'standalone', host: svc(COMPONENTS.redis.name), port: PORTS.redis };
}

/** The Redis password Secret of this environment (undefined without Redis). */
export function redisCredentialsSecret(env: EnvironmentModel): DataServiceSecret | undefined {
  const s = env.secrets.find((x) => x.name === REDIS_SECRET);
  if (!env.dataServices.redis || !s) return undefined;
  return {
    name: s.name,
    namespaces: [...s.namespaces],
    keys: expectedKeys(s.source, s.key),
    writer: 'envc-rotation',
  };
}

/** The per-service NetworkPolicy override the spec's `allowFrom` turns into. */
export const ALLOW_FROM_ANNOTATION = 'envc.io/allow-from';

/**
 * Grafana dashboards the Kubernetes emitter ships (uid → title): environment health and the availability
 * SLO in every environment's Grafana, access overview in the Grafana of the environment running the bot.
 */
export const DASHBOARDS = [
  { uid: 'envc-environment-health', title: 'Environment health' },
  { uid: 'envc-access-overview', title: 'Access overview' },
  { uid: 'envc-slo-availability', title: 'Availability SLO' },
] as const;

/** A Kubernetes Secret a data service's connection details live in, and who writes it. */
export interface DataServiceSecret {
  name: string;
  /** Namespaces where the Secret exists. */
  namespaces: string[];
  keys: string[];
  writer: 'terraform' | 'envc-rotation';
}

const sortedSet = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Namespaces of the services that use a data service in this environment. */
export function dataServiceConsumerNamespaces(env: EnvironmentModel, kind: 'postgres' | 'redis'): string[] {
  return sortedSet(env.services.filter((s) => s.dataServices.includes(kind)).map((s) => s.namespace));
}

/**
 * The spec's database-credentials secret present in this environment (rotated by envc, sealed per namespace
 * of its `usedBy` services), if any. It holds the login only: `expectedKeys('linode-database-credentials')`.
 */
export function postgresCredentialsSecret(env: EnvironmentModel): DataServiceSecret | undefined {
  const s = env.secrets.find((x) => x.source === 'linode-database-credentials');
  if (!s) return undefined;
  return {
    name: s.name,
    namespaces: [...s.namespaces],
    keys: expectedKeys(s.source),
    writer: 'envc-rotation',
  };
}

/** The connection Secret Terraform writes for the environment's PostgreSQL (undefined without PostgreSQL). */
export function postgresConnectionSecret(env: EnvironmentModel): DataServiceSecret | undefined {
  if (!env.dataServices.postgres) return undefined;
  return {
    name: POSTGRES_CONNECTION_SECRET,
    namespaces: dataServiceConsumerNamespaces(env, 'postgres'),
    keys: [...POSTGRES_CONNECTION_KEYS],
    writer: 'terraform',
  };
}

/**
 * Which Secret holds which PostgreSQL key: host, port and ca.crt in the connection Secret, username and
 * password in the credentials SealedSecret (absent when the spec declares none for the environment).
 */
export function postgresSecretKeys(env: EnvironmentModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of [postgresConnectionSecret(env), postgresCredentialsSecret(env)])
    for (const k of s?.keys ?? []) out[k] = s!.name;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The service's own secrets that exist where it runs: a SealedSecret of that name in this environment and in
 * the service's namespace. A spec secret limited to other environments (or not sealed for this namespace) is
 * not mounted here.
 */
export function presentSecrets(env: EnvironmentModel, s: ServiceInstance): string[] {
  return s.secrets.filter((name) =>
    env.secrets.some((x) => x.name === name && x.namespaces.includes(s.namespace)),
  );
}

/** Grafana of one environment (each runs its own kube-prometheus-stack, reached at `grafana.<zone>`). */
export function grafanaBaseUrl(env: Pick<EnvironmentModel, 'network'>): string {
  return `https://${grafanaHostname(env)}`;
}

/** The environment hosting `component` (ArgoCD, the bot). */
export function hostOf(
  model: Model,
  component: 'argocd' | 'bot' | 'observability',
): EnvironmentModel | undefined {
  return model.environments.find((e) => e.hosts.includes(component));
}

export function argocdBaseUrl(model: Model): string | undefined {
  const host = hostOf(model, 'argocd');
  return host ? `https://${argocdHostname(host)}` : undefined;
}
