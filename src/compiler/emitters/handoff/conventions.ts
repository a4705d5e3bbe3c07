/**
 * Names the handoff sheet promises app teams and other parts of envc must honour: where data-service
 * connection details live (Kubernetes Secrets per consuming namespace, never the values; each Secret has
 * exactly one writer), which Grafana dashboards exist, and the annotation of the NetworkPolicy override. One
 * place, so the Terraform and Kubernetes emitters and the rotation code use the same names.
 */
import type { EnvironmentModel, Model, ServiceInstance } from '../../model.js';
import { argocdHostname, grafanaHostname } from '../kubernetes/platform.js';
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
/** Keys of the Redis connection Secret (in-cluster Redis in the `data` namespace). */
export const REDIS_SECRET_KEYS = ['host', 'port', 'password'] as const;
export const REDIS_SECRET = 'redis-credentials';

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
