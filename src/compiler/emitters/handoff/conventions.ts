/**
 * Names the handoff sheet promises app teams and other parts of envc must honour: where data-service
 * connection details live (a Kubernetes Secret per consuming namespace, never the values), which Grafana
 * dashboards exist, and the annotation of the NetworkPolicy override. One place, so the Kubernetes emitter
 * and the rotation code can import the same names instead of repeating strings.
 */
import type { EnvironmentModel, Model } from '../../model.js';

/** Keys of the PostgreSQL connection Secret (Linode Managed Database: TLS with the cluster's CA). */
export const POSTGRES_SECRET_KEYS = ['host', 'port', 'username', 'password', 'ca.crt'] as const;
/** Keys of the Redis connection Secret (in-cluster Redis in the `data` namespace). */
export const REDIS_SECRET_KEYS = ['host', 'port', 'password'] as const;

/** Used when the spec declares no `linode-database-credentials` secret for the environment. */
export const DEFAULT_POSTGRES_SECRET = 'postgres-credentials';
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

/**
 * The Secret holding PostgreSQL connection details in an environment: the spec's database-credentials
 * secret (rotated by envc) when there is one, else the default name.
 */
export function postgresSecretName(env: EnvironmentModel): string {
  return env.secrets.find((s) => s.source === 'linode-database-credentials')?.name ?? DEFAULT_POSTGRES_SECRET;
}

/** The DNS zone of the environment hosting `component`, for URLs of platform UIs (Grafana, ArgoCD). */
export function platformZone(
  model: Model,
  component: 'observability' | 'argocd' | 'bot',
): string | undefined {
  return model.environments.find((e) => e.hosts.includes(component))?.network.dns.zone;
}

/** Grafana of the environment hosting `component` (each environment runs its own kube-prometheus-stack). */
export function grafanaBaseUrl(
  model: Model,
  component: 'observability' | 'bot' = 'observability',
): string | undefined {
  const zone = platformZone(model, component);
  return zone ? `https://grafana.${zone}` : undefined;
}

export function argocdBaseUrl(model: Model): string | undefined {
  const zone = platformZone(model, 'argocd');
  return zone ? `https://argocd.${zone}` : undefined;
}
