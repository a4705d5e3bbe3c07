/**
 * Baseline NetworkPolicies of one environment: default deny (ingress and egress) in every namespace envc
 * manages, then explicit allows — DNS, the ingress controller, the observability scrapers, the spec's egress
 * allowlist, data services, and each service's `allowFrom` override. Every namespaceSelector also selects on
 * `envc.io/environment`, so no policy ever opens a path to another environment's namespaces, even if two
 * clusters' networks were joined. Pure data; `envc traffic` evaluates exactly these objects.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { cidrContains, parseCidr } from '../../../traffic/cidr.js';
import type { EnvironmentModel, Origin, ServiceInstance } from '../../model.js';
import { REDIS_SENTINEL_PORT, redisEndpoint } from '../handoff/conventions.js';
import { byName, type Manifest, sortedRecord } from './objects.js';
import {
  ANNOTATION,
  CLUSTER_CIDRS,
  COMPONENTS,
  commonLabels,
  KUBE_SYSTEM,
  LABEL,
  managedNamespaces,
  PLATFORM,
  type PlatformComponent,
  PORTS,
  serviceSelector,
  talksToApiServer,
} from './platform.js';

type Peer = INetworkPolicyPeer;
type Port = INetworkPolicyPort;

const tcp = (port: number | string): Port => ({ protocol: 'TCP', port });
const udp = (port: number | string): Port => ({ protocol: 'UDP', port });

/** Namespaces of this environment with the given extra labels. */
function namespacesOf(env: string, extra: Record<string, string> = {}): Peer['namespaceSelector'] {
  return { matchLabels: sortedRecord({ [LABEL.environment]: env, ...extra }) };
}

function namespaceNamed(env: string, name: string): Peer['namespaceSelector'] {
  return namespacesOf(env, { [LABEL.metadataName]: name });
}

function componentPeer(env: string, c: PlatformComponent): Peer {
  return {
    namespaceSelector: namespaceNamed(env, c.namespace),
    podSelector: { matchLabels: sortedRecord(c.labels) },
  };
}

function servicePeer(env: string, namespace: string, service: string): Peer {
  return {
    namespaceSelector: namespaceNamed(env, namespace),
    podSelector: { matchLabels: serviceSelector(service) },
  };
}

/**
 * Addresses outside the cluster: the given blocks minus the pod and service networks they contain, so an
 * allowlist entry such as 0.0.0.0/0 never doubles as a path to pods (in-cluster traffic is selector-governed).
 */
export function outside(cidrs: readonly string[]): Peer[] {
  const cluster = CLUSTER_CIDRS.map((c) => parseCidr(c)!);
  return cidrs.map((cidr) => {
    const block = parseCidr(cidr);
    const except = block ? cluster.filter((c) => cidrContains(block, c)).map((c) => c.text) : [];
    return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
  });
}

const ANYWHERE = ['0.0.0.0/0', '::/0'];

interface PolicyParts {
  name: string;
  namespace: string;
  podSelector: Record<string, string>;
  ingress?: INetworkPolicyIngressRule[];
  egress?: INetworkPolicyEgressRule[];
  annotations?: Record<string, string>;
  /** Policy types; defaults to the directions that have rules. */
  types?: Array<'Ingress' | 'Egress'>;
}

function policy(env: EnvironmentModel, p: PolicyParts, origin: Origin): Manifest {
  const types = p.types ?? [
    ...(p.ingress ? (['Ingress'] as const) : []),
    ...(p.egress ? (['Egress'] as const) : []),
  ];
  const object: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: commonLabels(env.name),
      ...(p.annotations ? { annotations: sortedRecord(p.annotations) } : {}),
    },
    spec: {
      podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: sortedRecord(p.podSelector) } : {},
      policyTypes: types,
      ...(p.ingress ? { ingress: p.ingress } : {}),
      ...(p.egress ? { egress: p.egress } : {}),
    },
  };
  return { object: object as unknown as Manifest['object'], origin };
}

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

export function networkPolicies(env: EnvironmentModel): Manifest[] {
  const out: Manifest[] = [];
  const e = env.name;
  const hosts = new Set(env.hosts);
  const servicesWithIngress = env.services.filter((s) => s.ingress);
  const redisUsers = env.services.filter((s) => s.dataServices.includes('redis'));

  for (const ns of managedNamespaces(env)) {
    const n = ns.name;
    // 1. Default deny: an empty podSelector isolates every pod in both directions.
    out.push(
      policy(
        env,
        { name: 'default-deny-all', namespace: n, podSelector: {}, types: ['Ingress', 'Egress'] },
        env.origin,
      ),
    );
    // 2. DNS to the cluster's resolver only.
    out.push(
      policy(
        env,
        {
          name: 'allow-dns',
          namespace: n,
          podSelector: {},
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [LABEL.metadataName]: KUBE_SYSTEM } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [udp(PORTS.dns), tcp(PORTS.dns)],
            },
          ],
        },
        env.origin,
      ),
    );

    if (ns.kind === 'app') {
      const services = env.services.filter((s) => s.namespace === n);
      for (const s of services) out.push(servicePolicy(env, s));
      // Traces go to the environment's Tempo.
      out.push(
        policy(
          env,
          {
            name: 'allow-telemetry',
            namespace: n,
            podSelector: {},
            egress: [
              { to: [componentPeer(e, COMPONENTS.tempo)], ports: [tcp(PORTS.otlpGrpc), tcp(PORTS.otlpHttp)] },
            ],
          },
          env.origin,
        ),
      );
      if (services.some((s) => s.ingress)) {
        // cert-manager's HTTP-01 solver pods run beside the Ingress; the controller must reach them.
        out.push(
          policy(
            env,
            {
              name: 'allow-acme-http01',
              namespace: n,
              podSelector: { 'acme.cert-manager.io/http01-solver': 'true' },
              ingress: [{ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(8089)] }],
            },
            env.origin,
          ),
        );
      }
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
      continue;
    }

    // Platform namespaces.
    if (n !== PLATFORM.monitoring) {
      out.push(
        policy(
          env,
          {
            name: 'allow-prometheus-scrape',
            namespace: n,
            podSelector: {},
            ingress: [{ from: [componentPeer(e, COMPONENTS.prometheus)] }],
          },
          env.origin,
        ),
      );
    }
    if (talksToApiServer(n)) {
      out.push(
        policy(
          env,
          {
            name: 'allow-kube-apiserver',
            namespace: n,
            podSelector: {},
            egress: [{ to: outside(['0.0.0.0/0']), ports: PORTS.kubeApi.map((p) => tcp(p)) }],
          },
          env.origin,
        ),
      );
    }
    out.push(...platformPolicies(env, n, { hosts, servicesWithIngress, redisUsers }));
  }
  return out;
}

/** A service's own policy: who may call it, and whom it may call. */
function servicePolicy(env: EnvironmentModel, s: ServiceInstance): Manifest {
  const e = env.name;
  const ingress: INetworkPolicyIngressRule[] = [];
  if (s.ingress)
    ingress.push({ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(s.port)] });
  if (s.metrics)
    ingress.push({ from: [componentPeer(e, COMPONENTS.prometheus)], ports: [tcp(s.metrics.port)] });
  const allowFrom = effectiveAllowFrom(env, s);
  for (const ref of allowFrom) {
    const [ns, svc] = ref.split('/') as [string, string];
    ingress.push({ from: [servicePeer(e, ns, svc)], ports: [tcp(s.port)] });
  }
  const egress: INetworkPolicyEgressRule[] = [];
  for (const t of targetsOf(env, s))
    egress.push({ to: [servicePeer(e, t.namespace, t.name)], ports: [tcp(t.port)] });
  if (s.dataServices.includes('redis') && env.dataServices.redis)
    egress.push({
      to: [componentPeer(e, COMPONENTS.redis)],
      ports: redisClientPorts(env).map((p) => tcp(p)),
    });
  // Linode Managed PostgreSQL lives outside the cluster (its allow list admits the nodes).
  if (s.dataServices.includes('postgres'))
    egress.push({ to: outside(['0.0.0.0/0']), ports: [tcp(PORTS.postgres)] });
  return policy(
    env,
    {
      name: `allow-${s.name}`,
      namespace: s.namespace,
      podSelector: serviceSelector(s.name),
      ingress,
      ...(egress.length > 0 ? { egress } : {}),
      ...(allowFrom.length > 0 ? { annotations: { [ANNOTATION.allowFrom]: allowFrom.join(',') } } : {}),
      types: egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'],
    },
    s.origin,
  );
}

function platformPolicies(
  env: EnvironmentModel,
  n: string,
  ctx: { hosts: Set<string>; servicesWithIngress: ServiceInstance[]; redisUsers: ServiceInstance[] },
): Manifest[] {
  const e = env.name;
  const o = env.origin;
  const out: Manifest[] = [];
  switch (n) {
    case PLATFORM.ingress: {
      const backends: INetworkPolicyEgressRule[] = [...ctx.servicesWithIngress]
        .sort((a, b) => byName(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))
        .map((s) => ({ to: [servicePeer(e, s.namespace, s.name)], ports: [tcp(s.port)] }));
      const nsWithIngress = [...new Set(ctx.servicesWithIngress.map((s) => s.namespace))].sort(byName);
      for (const ns of nsWithIngress) {
        backends.push({
          to: [
            {
              namespaceSelector: namespaceNamed(e, ns),
              podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
            },
          ],
          ports: [tcp(8089)],
        });
      }
      backends.push({ to: [componentPeer(e, COMPONENTS.grafana)], ports: [tcp(3000)] });
      if (ctx.hosts.has('argocd'))
        backends.push({ to: [componentPeer(e, COMPONENTS.argocdServer)], ports: [tcp(8080)] });
      if (ctx.hosts.has('bot'))
        backends.push({ to: [componentPeer(e, COMPONENTS.bot)], ports: [tcp('http')] });
      out.push(
        policy(
          env,
          {
            name: 'allow-ingress-controller',
            namespace: n,
            podSelector: COMPONENTS.ingressController.labels,
            ingress: [
              { from: outside(ANYWHERE), ports: [tcp(PORTS.http), tcp(PORTS.https)] },
              // The API server calls the admission webhook from the control plane.
              { from: outside(['0.0.0.0/0']), ports: [tcp(8443)] },
            ],
            ...(backends.length > 0 ? { egress: backends } : {}),
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.monitoring: {
      out.push(
        policy(
          env,
          {
            name: 'allow-monitoring-internal',
            namespace: n,
            podSelector: {},
            ingress: [{ from: [{ podSelector: {} }] }],
            egress: [{ to: [{ podSelector: {} }] }],
          },
          o,
        ),
      );
      out.push(
        policy(
          env,
          {
            name: 'allow-prometheus-egress',
            namespace: n,
            podSelector: COMPONENTS.prometheus.labels,
            egress: [
              // Scrape targets anywhere in this environment (the targets' own policies decide which ports).
              { to: [{ namespaceSelector: namespacesOf(e) }] },
              // Kubelets and node exporters run on the nodes' host network.
              { to: outside(['0.0.0.0/0']), ports: [tcp(PORTS.kubelet), tcp(PORTS.nodeExporter)] },
            ],
          },
          o,
        ),
      );
      out.push(
        policy(
          env,
          {
            name: 'allow-tempo-otlp',
            namespace: n,
            podSelector: COMPONENTS.tempo.labels,
            ingress: [
              {
                from: [{ namespaceSelector: namespacesOf(e, { [LABEL.namespaceKind]: 'app' }) }],
                ports: [tcp(PORTS.otlpGrpc), tcp(PORTS.otlpHttp)],
              },
            ],
          },
          o,
        ),
      );
      out.push(
        policy(
          env,
          {
            name: 'allow-grafana',
            namespace: n,
            podSelector: COMPONENTS.grafana.labels,
            ingress: [{ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(3000)] }],
          },
          o,
        ),
      );
      out.push(
        policy(
          env,
          {
            name: 'allow-alertmanager-slack',
            namespace: n,
            podSelector: COMPONENTS.alertmanager.labels,
            egress: [{ to: outside(ANYWHERE), ports: [tcp(PORTS.https)] }],
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.certManager: {
      out.push(
        policy(
          env,
          {
            name: 'allow-cert-manager',
            namespace: n,
            podSelector: {},
            // The API server calls the webhook from the control plane, outside the pod network.
            ingress: [{ from: outside(['0.0.0.0/0']), ports: [tcp(PORTS.kubelet)] }],
            // ACME (443), HTTP-01 self-checks through the public load balancer (80), DNS-01 propagation checks (53).
            egress: [
              {
                to: outside(ANYWHERE),
                ports: [tcp(PORTS.https), tcp(PORTS.http), udp(PORTS.dns), tcp(PORTS.dns)],
              },
            ],
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.sealedSecrets: {
      out.push(
        policy(
          env,
          {
            name: 'allow-sealed-secrets-cert',
            namespace: n,
            podSelector: COMPONENTS.sealedSecrets.labels,
            // The bot and kubeseal fetch the public certificate through the API server's service proxy.
            ingress: [{ from: outside(['0.0.0.0/0']), ports: [tcp(8080)] }],
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.data: {
      const clients: Peer[] = [...ctx.redisUsers]
        .sort((a, b) => byName(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))
        .map((s) => servicePeer(e, s.namespace, s.name));
      const redisPods: Peer = { podSelector: { matchLabels: sortedRecord(COMPONENTS.redis.labels) } };
      out.push(
        policy(
          env,
          {
            name: 'allow-redis',
            namespace: n,
            podSelector: COMPONENTS.redis.labels,
            ingress: [
              // Only the services that declare Redis; no other pod of this or another namespace.
              ...(clients.length > 0
                ? [{ from: clients, ports: redisClientPorts(env).map((p) => tcp(p)) }]
                : []),
              // Replication and Sentinel between the Redis pods.
              { from: [redisPods], ports: [tcp(PORTS.redis), tcp(REDIS_SENTINEL_PORT)] },
            ],
            egress: [{ to: [redisPods], ports: [tcp(PORTS.redis), tcp(REDIS_SENTINEL_PORT)] }],
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.argocd: {
      if (!ctx.hosts.has('argocd')) break;
      out.push(
        policy(
          env,
          {
            name: 'allow-argocd',
            namespace: n,
            podSelector: {},
            ingress: [{ from: [{ podSelector: {} }] }],
            // Git over HTTPS and the environments' API servers.
            egress: [{ to: [{ podSelector: {} }] }, { to: outside(ANYWHERE), ports: [tcp(PORTS.https)] }],
          },
          o,
        ),
      );
      out.push(
        policy(
          env,
          {
            name: 'allow-argocd-server',
            namespace: n,
            podSelector: COMPONENTS.argocdServer.labels,
            ingress: [{ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(8080)] }],
          },
          o,
        ),
      );
      break;
    }
    case PLATFORM.bot: {
      if (!ctx.hosts.has('bot')) break;
      out.push(
        policy(
          env,
          {
            name: 'allow-envc-bot',
            namespace: n,
            podSelector: COMPONENTS.bot.labels,
            // Slack's HTTP mode requests come through the ingress controller (Socket Mode needs none).
            ingress: [{ from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp('http')] }],
            // Slack, the Linode API and the environments' API servers (443); its PostgreSQL store (5432).
            egress: [{ to: outside(ANYWHERE), ports: [tcp(PORTS.https), tcp(PORTS.postgres)] }],
          },
          o,
        ),
      );
      break;
    }
    default:
      break;
  }
  return out;
}
