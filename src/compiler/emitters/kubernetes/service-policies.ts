/**
 * NetworkPolicies of an app namespace: each service's own policy (who may call it, whom it may call) and the
 * namespace-wide allows (traces to Tempo, the spec's egress allowlist). Pure data.
 *
 * Two flows leave the cluster for a Linode service whose addresses envc cannot know when it compiles:
 * - Managed PostgreSQL listens on the port the provider reports (`linode_database_postgresql_v2.port`, not
 *   necessarily 5432) at the addresses of its members. That policy is written at apply time by Terraform's
 *   data-services module (`kubernetes_network_policy_v1.postgres_egress`), in the shape `postgresEgressPolicy`
 *   describes (name, namespaces, pod selector); see docs/adr/0014-apply-time-network-policies.md.
 * - Object Storage is reached by hostname (`<cluster>.linodeobjects.com`), whose addresses Linode does not
 *   publish as ranges and NetworkPolicy cannot name: pods holding an Object Storage key get HTTPS to addresses
 *   outside the cluster, annotated with the endpoint they are for.
 */
import type { EnvironmentModel, ServiceInstance } from '../../model.js';
import { REDIS_SENTINEL_PORT, redisEndpoint } from '../handoff/conventions.js';
import type { Manifest } from './objects.js';
import { ANNOTATION, COMPONENTS, PORTS, serviceSelector } from './platform.js';
import {
  ANYWHERE,
  componentPeer,
  type EgressRule,
  type IngressRule,
  outside,
  policy,
  servicePeer,
  tcp,
} from './policy-parts.js';

/**
 * The `allowFrom` sources of a service that exist in this environment (the spec's list applies to every
 * environment the service runs in; a source that does not run here opens nothing here).
 */
export function effectiveAllowFrom(env: EnvironmentModel, s: ServiceInstance): string[] {
  return s.allowFrom.filter((ref) => env.services.some((o) => `${o.namespace}/${o.name}` === ref));
}

/**
 * Ports a Redis client needs: the data port, and with Sentinel also Sentinel's (asked for the primary, whose
 * pod is then reached on the data port).
 */
export function redisClientPorts(env: EnvironmentModel): number[] {
  return redisEndpoint(env)?.mode === 'sentinel' ? [PORTS.redis, REDIS_SENTINEL_PORT] : [PORTS.redis];
}

/** Services in this environment whose `allowFrom` names `ns/service` (the targets `ns/service` may call). */
function targetsOf(env: EnvironmentModel, source: ServiceInstance): ServiceInstance[] {
  const ref = `${source.namespace}/${source.name}`;
  return env.services.filter((t) => effectiveAllowFrom(env, t).includes(ref));
}

/** The S3 endpoint of the environment's Object Storage cluster (the one envc's key rotation talks to). */
export function objectStorageEndpoint(env: Pick<EnvironmentModel, 'region'>): string {
  return `${env.region}-1.linodeobjects.com`;
}

/** Whether a service holds an Object Storage key in this environment. */
export function holdsObjectStorageKey(env: EnvironmentModel, s: ServiceInstance): boolean {
  return env.secrets.some(
    (x) =>
      x.source === 'linode-object-storage-key' && x.usedBy.includes(s.name) && s.secrets.includes(x.name),
  );
}

/** Annotation on a policy that opens a flow to a named endpoint outside the cluster. */
export const EXTERNAL_ENDPOINT_ANNOTATION = 'envc.io/external-endpoints';

/** A service's own policy: who may call it, and whom it may call. */
export function servicePolicy(env: EnvironmentModel, s: ServiceInstance): Manifest {
  const e = env.name;
  const ingress: IngressRule[] = [];
  if (s.ingress)
    ingress.push({ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(s.port)] });
  if (s.metrics)
    ingress.push({ from: [componentPeer(e, COMPONENTS.prometheus)], ports: [tcp(s.metrics.port)] });
  const allowFrom = effectiveAllowFrom(env, s);
  for (const ref of allowFrom) {
    const [ns, svc] = ref.split('/') as [string, string];
    ingress.push({ from: [servicePeer(e, ns, svc)], ports: [tcp(s.port)] });
  }
  const egress: EgressRule[] = [];
  for (const t of targetsOf(env, s))
    egress.push({ to: [servicePeer(e, t.namespace, t.name)], ports: [tcp(t.port)] });
  if (s.dataServices.includes('redis') && env.dataServices.redis)
    egress.push({
      to: [componentPeer(e, COMPONENTS.redis)],
      ports: redisClientPorts(env).map((p) => tcp(p)),
    });
  // PostgreSQL: see postgresEgressPolicy (written by Terraform with the database's real port and addresses).
  const endpoints: string[] = [];
  if (holdsObjectStorageKey(env, s)) {
    endpoints.push(`https://${objectStorageEndpoint(env)}`);
    egress.push({ to: outside(ANYWHERE), ports: [tcp(PORTS.https)] });
  }
  const annotations: Record<string, string> = {
    ...(allowFrom.length > 0 ? { [ANNOTATION.allowFrom]: allowFrom.join(',') } : {}),
    ...(endpoints.length > 0 ? { [EXTERNAL_ENDPOINT_ANNOTATION]: endpoints.join(',') } : {}),
  };
  return policy(
    env,
    {
      name: `allow-${s.name}`,
      namespace: s.namespace,
      podSelector: serviceSelector(s.name),
      ingress,
      ...(egress.length > 0 ? { egress } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      types: egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'],
    },
    s.origin,
  );
}

/** Policies of one app namespace besides the baseline (deny, DNS) and the ACME solver allow. */
export function appNamespacePolicies(env: EnvironmentModel, n: string): Manifest[] {
  const out: Manifest[] = [];
  for (const s of env.services.filter((x) => x.namespace === n)) out.push(servicePolicy(env, s));
  // Traces go to the environment's Tempo.
  out.push(
    policy(
      env,
      {
        name: 'allow-telemetry',
        namespace: n,
        podSelector: {},
        egress: [
          {
            to: [componentPeer(env.name, COMPONENTS.tempo)],
            ports: [tcp(PORTS.otlpGrpc), tcp(PORTS.otlpHttp)],
          },
        ],
      },
      env.origin,
    ),
  );
  for (const entry of env.network.egressAllowlist) {
    out.push(
      policy(
        env,
        {
          name: `allow-egress-${entry.name}`,
          namespace: n,
          podSelector: {},
          egress: [
            {
              to: outside(entry.cidrs),
              ports: entry.ports.map((p) => ({ protocol: entry.protocol, port: p })),
            },
          ],
        },
        entry.origin,
      ),
    );
  }
  return out;
}

/**
 * What Terraform's data-services module writes for managed PostgreSQL, per consuming namespace: a policy named
 * `name` that lets the pods of `services` reach the database's members on its port. envc decides the shape;
 * Terraform fills the addresses and the port once the database exists (they are not known before).
 */
export interface PostgresEgressPolicy {
  name: string;
  /** Consuming namespace → the services there that use PostgreSQL (the policy's pod selector). */
  services: Record<string, string[]>;
}

export const POSTGRES_EGRESS_POLICY = 'allow-postgres-egress';

export function postgresEgressPolicy(env: EnvironmentModel): PostgresEgressPolicy | undefined {
  if (!env.dataServices.postgres) return undefined;
  const services: Record<string, string[]> = {};
  for (const s of env.services.filter((x) => x.dataServices.includes('postgres')))
    services[s.namespace] = [...(services[s.namespace] ?? []), s.name].sort();
  return { name: POSTGRES_EGRESS_POLICY, services };
}

/** Where the managed database is once it exists: what Terraform fills the policy with. */
export interface DatabaseEndpoint {
  /** `linode_database_postgresql_v2.port`. */
  port: number;
  /** The keys of `linode_database_postgresql_v2.members` (one address per node). */
  addresses: string[];
}

/**
 * The NetworkPolicies Terraform's data-services module writes (`kubernetes_manifest.postgres_egress`), as
 * objects: the same shape as the HCL, for `envc traffic` and the tests once the database's port and addresses
 * are known (e.g. from the stack's outputs).
 */
export function postgresEgressManifests(
  env: EnvironmentModel,
  db: DatabaseEndpoint,
): Array<{ env: string; object: Manifest['object'] }> {
  const shape = postgresEgressPolicy(env);
  if (!shape) return [];
  return Object.entries(shape.services).map(([namespace, services]) => ({
    env: env.name,
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: shape.name,
        namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'app.kubernetes.io/part-of': 'envc',
          'envc.io/data-service': 'postgres',
        },
      },
      spec: {
        podSelector: {
          matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: services }],
        },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [...db.addresses]
              .sort()
              .map((ip) => ({ ipBlock: { cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32` } })),
            ports: [{ protocol: 'TCP', port: db.port }],
          },
        ],
      },
    } as unknown as Manifest['object'],
  }));
}
