/**
 * NetworkPolicies of the platform namespaces: what each add-on must be reached by and may reach under the
 * default deny. Every flow here is one the pinned charts need with their values (helm/): the ingress
 * controller to its backends and to cert-manager's HTTP-01 solvers, Prometheus to every target
 * kube-prometheus-stack scrapes (CoreDNS in kube-system, the kubelets and node exporters on the nodes), and
 * the API server to every admission webhook (prometheus-operator, cert-manager, ingress-nginx). Pure data.
 */
import type { EnvironmentModel, ServiceInstance } from '../../model.js';
import { REDIS_SENTINEL_PORT } from '../handoff/conventions.js';
import { byName, type Manifest, sortedRecord } from './objects.js';
import { COMPONENTS, KUBE_SYSTEM, LABEL, PLATFORM, PORTS } from './platform.js';
import {
  ACME_SOLVER_LABELS,
  ACME_SOLVER_PORT,
  ANYWHERE,
  componentPeer,
  type EgressRule,
  namespaceNamed,
  namespacesOf,
  outside,
  type Peer,
  policy,
  servicePeer,
  tcp,
  udp,
} from './policy-parts.js';
import { redisClientPorts } from './service-policies.js';

export interface PlatformContext {
  hosts: Set<string>;
  servicesWithIngress: ServiceInstance[];
  redisUsers: ServiceInstance[];
  /** Namespaces holding an Ingress (cert-manager starts its HTTP-01 solver pods there). */
  ingressNamespaces: string[];
}

/** The API server calls webhooks from the control plane, outside the pod network. */
const CONTROL_PLANE = ['0.0.0.0/0'];

/** CoreDNS in kube-system, as LKE labels it (the cluster's resolver and a kube-prometheus-stack target). */
export const COREDNS_PEER: Peer = {
  namespaceSelector: { matchLabels: { [LABEL.metadataName]: KUBE_SYSTEM } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

function ingressController(env: EnvironmentModel, n: string, ctx: PlatformContext): Manifest[] {
  const e = env.name;
  const backends: EgressRule[] = [...ctx.servicesWithIngress]
    .sort((a, b) => byName(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))
    .map((s) => ({ to: [servicePeer(e, s.namespace, s.name)], ports: [tcp(s.port)] }));
  for (const ns of ctx.ingressNamespaces) {
    backends.push({
      to: [
        { namespaceSelector: namespaceNamed(e, ns), podSelector: { matchLabels: { ...ACME_SOLVER_LABELS } } },
      ],
      ports: [tcp(ACME_SOLVER_PORT)],
    });
  }
  backends.push({ to: [componentPeer(e, COMPONENTS.grafana)], ports: [tcp(3000)] });
  if (ctx.hosts.has('argocd'))
    backends.push({ to: [componentPeer(e, COMPONENTS.argocdServer)], ports: [tcp(8080)] });
  if (ctx.hosts.has('bot')) backends.push({ to: [componentPeer(e, COMPONENTS.bot)], ports: [tcp('http')] });
  return [
    policy(
      env,
      {
        name: 'allow-ingress-controller',
        namespace: n,
        podSelector: COMPONENTS.ingressController.labels,
        ingress: [
          { from: outside(ANYWHERE), ports: [tcp(PORTS.http), tcp(PORTS.https)] },
          // The API server calls the admission webhook from the control plane.
          { from: outside(CONTROL_PLANE), ports: [tcp(8443)] },
        ],
        egress: backends,
      },
      env.origin,
    ),
  ];
}

function monitoring(env: EnvironmentModel, n: string): Manifest[] {
  const e = env.name;
  const o = env.origin;
  return [
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
    policy(
      env,
      {
        name: 'allow-prometheus-egress',
        namespace: n,
        podSelector: COMPONENTS.prometheus.labels,
        egress: [
          // Scrape targets anywhere in this environment (the targets' own policies decide which ports).
          { to: [{ namespaceSelector: namespacesOf(e) }] },
          // kube-prometheus-stack's `coreDns` target (on by default): CoreDNS' metrics in kube-system.
          { to: [COREDNS_PEER], ports: [tcp(PORTS.coreDnsMetrics)] },
          // Kubelets (cAdvisor, probes) and node exporters run on the nodes' host network.
          { to: outside(CONTROL_PLANE), ports: [tcp(PORTS.kubelet), tcp(PORTS.nodeExporter)] },
        ],
      },
      o,
    ),
    policy(
      env,
      {
        name: 'allow-prometheus-operator-webhook',
        namespace: n,
        podSelector: COMPONENTS.prometheusOperator.labels,
        // The API server validates PrometheusRules (and converts AlertmanagerConfigs) through this webhook.
        ingress: [
          { from: outside(CONTROL_PLANE), ports: [tcp(COMPONENTS.prometheusOperator.ports[0].port)] },
        ],
      },
      o,
    ),
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
    policy(
      env,
      {
        name: 'allow-alertmanager-receivers',
        namespace: n,
        podSelector: COMPONENTS.alertmanager.labels,
        // Slack and the dead-man's switch (the Watchdog heartbeat), both HTTPS.
        egress: [{ to: outside(ANYWHERE), ports: [tcp(PORTS.https)] }],
      },
      o,
    ),
  ];
}

function certManager(env: EnvironmentModel, n: string): Manifest[] {
  return [
    policy(
      env,
      {
        name: 'allow-cert-manager',
        namespace: n,
        podSelector: {},
        // The API server calls the webhook from the control plane, outside the pod network.
        ingress: [{ from: outside(CONTROL_PLANE), ports: [tcp(PORTS.kubelet)] }],
        // ACME (443), HTTP-01 self-checks through the public load balancer (80), DNS-01 propagation checks (53).
        egress: [
          {
            to: outside(ANYWHERE),
            ports: [tcp(PORTS.https), tcp(PORTS.http), udp(PORTS.dns), tcp(PORTS.dns)],
          },
        ],
      },
      env.origin,
    ),
  ];
}

function data(env: EnvironmentModel, n: string, ctx: PlatformContext): Manifest[] {
  const clients: Peer[] = [...ctx.redisUsers]
    .sort((a, b) => byName(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))
    .map((s) => servicePeer(env.name, s.namespace, s.name));
  const redisPods: Peer = { podSelector: { matchLabels: sortedRecord(COMPONENTS.redis.labels) } };
  return [
    policy(
      env,
      {
        name: 'allow-redis',
        namespace: n,
        podSelector: COMPONENTS.redis.labels,
        ingress: [
          // Only the services that declare Redis; no other pod of this or another namespace.
          ...(clients.length > 0 ? [{ from: clients, ports: redisClientPorts(env).map((p) => tcp(p)) }] : []),
          // Replication and Sentinel between the Redis pods.
          { from: [redisPods], ports: [tcp(PORTS.redis), tcp(REDIS_SENTINEL_PORT)] },
        ],
        egress: [{ to: [redisPods], ports: [tcp(PORTS.redis), tcp(REDIS_SENTINEL_PORT)] }],
      },
      env.origin,
    ),
  ];
}

function argocd(env: EnvironmentModel, n: string, ctx: PlatformContext): Manifest[] {
  if (!ctx.hosts.has('argocd')) return [];
  return [
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
      env.origin,
    ),
    policy(
      env,
      {
        name: 'allow-argocd-server',
        namespace: n,
        podSelector: COMPONENTS.argocdServer.labels,
        ingress: [{ from: [componentPeer(env.name, COMPONENTS.ingressController)], ports: [tcp(8080)] }],
      },
      env.origin,
    ),
  ];
}

function bot(env: EnvironmentModel, n: string, ctx: PlatformContext): Manifest[] {
  if (!ctx.hosts.has('bot')) return [];
  return [
    policy(
      env,
      {
        name: 'allow-envc-bot',
        namespace: n,
        podSelector: COMPONENTS.bot.labels,
        // Slack's HTTP mode requests come through the ingress controller (Socket Mode needs none).
        ingress: [{ from: [componentPeer(env.name, COMPONENTS.ingressController)], ports: [tcp('http')] }],
        // Slack, the Linode API and the environments' API servers (443); its PostgreSQL store (5432).
        egress: [{ to: outside(ANYWHERE), ports: [tcp(PORTS.https), tcp(PORTS.postgres)] }],
      },
      env.origin,
    ),
  ];
}

export function platformPolicies(env: EnvironmentModel, n: string, ctx: PlatformContext): Manifest[] {
  switch (n) {
    case PLATFORM.ingress:
      return ingressController(env, n, ctx);
    case PLATFORM.monitoring:
      return monitoring(env, n);
    case PLATFORM.certManager:
      return certManager(env, n);
    case PLATFORM.sealedSecrets:
      return [
        policy(
          env,
          {
            name: 'allow-sealed-secrets-cert',
            namespace: n,
            podSelector: COMPONENTS.sealedSecrets.labels,
            // The bot and kubeseal fetch the public certificate through the API server's service proxy.
            ingress: [{ from: outside(CONTROL_PLANE), ports: [tcp(8080)] }],
          },
          env.origin,
        ),
      ];
    case PLATFORM.data:
      return data(env, n, ctx);
    case PLATFORM.argocd:
      return argocd(env, n, ctx);
    case PLATFORM.bot:
      return bot(env, n, ctx);
    default:
      return [];
  }
}
