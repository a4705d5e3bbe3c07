/**
 * The cluster-side vocabulary every Kubernetes-facing part of envc shares: label keys, the platform
 * namespaces and the pod labels of the add-ons the Helm values install. Pure constants and small functions,
 * no heavy imports: the NetworkPolicy builder, the Helm emitter and `envc traffic` all read this one table,
 * so a label used in a policy is the label the chart puts on its pods.
 */
import type { EnvironmentModel, NamespaceModel } from '../../model.js';

export const LABEL = {
  /** Every envc namespace carries its environment; every namespaceSelector envc writes selects on it. */
  environment: 'envc.io/environment',
  /** `app` or `platform`. */
  namespaceKind: 'envc.io/namespace-kind',
  owner: 'envc.io/owner',
  /** Set by the API server on every namespace (we also write it, so the evaluator sees what the cluster sees). */
  metadataName: 'kubernetes.io/metadata.name',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  /** Grafana's dashboard sidecar loads every ConfigMap with this label. */
  grafanaDashboard: 'grafana_dashboard',
  /** JIT grants: the bot labels each time-bound binding with its grant id and policy. */
  grant: 'envc.io/grant',
  accessPolicy: 'envc.io/access-policy',
  secret: 'envc.io/secret',
} as const;

export const ANNOTATION = {
  /** The override a service asks for with `allowFrom`; the value lists `<namespace>/<service>` sources. */
  allowFrom: 'envc.io/allow-from',
  /** Spec location that produced the object (the reviewer's way back to the line to edit). */
  source: 'envc.io/source',
  /** Rotation metadata the bot writes on SealedSecrets (issue 7); ArgoCD ignores them (see argocd.ts). */
  rotatedAt: 'envc.io/rotated-at',
  rotatedBy: 'envc.io/rotated-by',
  nextDue: 'envc.io/next-rotation-due',
  rotateEvery: 'envc.io/rotate-every',
  gracePeriod: 'envc.io/grace-period',
  secretSource: 'envc.io/secret-source',
  /** Set by `kubectl rollout restart` (and the bot's restart) on the pod template. */
  restartedAt: 'kubectl.kubernetes.io/restartedAt',
  namespaceWide: 'sealedsecrets.bitnami.com/namespace-wide',
  syncWave: 'argocd.argoproj.io/sync-wave',
} as const;

/** LKE's pod and service networks. ipBlocks for the outside world exclude them so in-cluster traffic is governed by selectors only. */
export const POD_CIDR = '10.2.0.0/16';
export const SERVICE_CIDR = '10.128.0.0/16';
export const CLUSTER_CIDRS = [POD_CIDR, SERVICE_CIDR] as const;

/** The bot's identity in every cluster (its pod runs in `system`; elsewhere the ServiceAccount backs its kubeconfig). */
export const BOT_NAMESPACE = 'envc-bot';
export const BOT_SERVICE_ACCOUNT = 'envc-bot';

/**
 * The Sealed Secrets controller's name: the Helm values' `fullnameOverride` (so its Service), kubeseal's and
 * the bot's default `--controller-name`, the Terraform module's `controller_name` and its `cert_url`. One
 * constant, so the URL Terraform publishes is the Service the chart creates.
 */
export const SEALED_SECRETS_CONTROLLER = 'sealed-secrets-controller';

/** Namespaces envc labels but does not own (the cluster's own DNS lives here). */
export const KUBE_SYSTEM = 'kube-system';

export const PLATFORM = {
  ingress: 'ingress-nginx',
  monitoring: 'monitoring',
  certManager: 'cert-manager',
  sealedSecrets: 'sealed-secrets',
  argocd: 'argocd',
  bot: BOT_NAMESPACE,
  data: 'data',
  system: 'envc-system',
} as const;

/** A workload of a platform add-on: where it runs and the pod labels its chart gives it. */
export interface PlatformComponent {
  /** Short name used by `envc traffic` (`production/ingress-nginx`). */
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Container ports by name (for named ports in policies and for traffic queries). */
  ports: Array<{ name: string; port: number; protocol: 'TCP' | 'UDP' }>;
}

/**
 * Pod labels as the pinned charts set them (helm/values sets the names that matter: fullnameOverride etc.).
 * Changing a chart's labels means changing them here, and the NetworkPolicies follow.
 */
export const COMPONENTS = {
  ingressController: {
    name: 'ingress-nginx',
    namespace: PLATFORM.ingress,
    labels: { [LABEL.name]: 'ingress-nginx', [LABEL.component]: 'controller' },
    ports: [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'https', port: 443, protocol: 'TCP' },
      { name: 'metrics', port: 10254, protocol: 'TCP' },
    ],
  },
  prometheus: {
    name: 'prometheus',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'prometheus' },
    ports: [{ name: 'http-web', port: 9090, protocol: 'TCP' }],
  },
  // kube-prometheus-stack's operator; it also serves the admission webhook for PrometheusRules (tls.internalPort).
  prometheusOperator: {
    name: 'prometheus-operator',
    namespace: PLATFORM.monitoring,
    labels: { app: 'kube-prometheus-stack-operator' },
    ports: [{ name: 'https', port: 10250, protocol: 'TCP' }],
  },
  alertmanager: {
    name: 'alertmanager',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'alertmanager' },
    ports: [{ name: 'http-web', port: 9093, protocol: 'TCP' }],
  },
  grafana: {
    name: 'grafana',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'grafana' },
    ports: [{ name: 'grafana', port: 3000, protocol: 'TCP' }],
  },
  loki: {
    name: 'loki',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'loki' },
    ports: [{ name: 'http-metrics', port: 3100, protocol: 'TCP' }],
  },
  tempo: {
    name: 'tempo',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'tempo' },
    ports: [
      { name: 'otlp-grpc', port: 4317, protocol: 'TCP' },
      { name: 'otlp-http', port: 4318, protocol: 'TCP' },
      { name: 'tempo-prom-metrics', port: 3200, protocol: 'TCP' },
    ],
  },
  // Grafana Alloy (helm/observability.ts): the log collector on every node.
  alloy: {
    name: 'alloy',
    namespace: PLATFORM.monitoring,
    labels: { [LABEL.name]: 'alloy' },
    ports: [{ name: 'http-metrics', port: 12345, protocol: 'TCP' }],
  },
  certManager: {
    name: 'cert-manager',
    namespace: PLATFORM.certManager,
    labels: { [LABEL.instance]: 'cert-manager' },
    ports: [{ name: 'https', port: 10250, protocol: 'TCP' }],
  },
  sealedSecrets: {
    name: 'sealed-secrets',
    namespace: PLATFORM.sealedSecrets,
    labels: { [LABEL.name]: 'sealed-secrets' },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  argocdServer: {
    name: 'argocd-server',
    namespace: PLATFORM.argocd,
    labels: { [LABEL.name]: 'argocd-server' },
    ports: [{ name: 'server', port: 8080, protocol: 'TCP' }],
  },
  // redis-ha (helm/redis.ts): every Redis pod — a lone primary, or primary and replicas — with Sentinel beside
  // it; the values add this label to the chart's own pod labels.
  redis: {
    name: 'redis',
    namespace: PLATFORM.data,
    labels: { [LABEL.name]: 'redis' },
    ports: [
      { name: 'redis', port: 6379, protocol: 'TCP' },
      { name: 'redis-sentinel', port: 26379, protocol: 'TCP' },
      { name: 'http-metrics', port: 9121, protocol: 'TCP' },
    ],
  },
  bot: {
    name: 'envc-bot',
    namespace: BOT_NAMESPACE,
    labels: { [LABEL.name]: 'envc-bot' },
    // One HTTP server: Slack's HTTP mode, /healthz and /metrics (src/bot/config.ts, PORT, default 3000).
    ports: [{ name: 'http', port: 3000, protocol: 'TCP' }],
  },
} as const satisfies Record<string, PlatformComponent>;

/** Where the controller serves its public sealing certificate inside the cluster. */
export function sealedSecretsCertUrl(): string {
  const port = COMPONENTS.sealedSecrets.ports[0].port;
  return `http://${SEALED_SECRETS_CONTROLLER}.${COMPONENTS.sealedSecrets.namespace}.svc:${port}/v1/cert.pem`;
}

export const PORTS = {
  dns: 53,
  redis: 6379,
  /**
   * PostgreSQL's usual port: the bot's own store. Linode's managed PostgreSQL listens on the port the provider
   * reports, which only Terraform knows (see service-policies.ts postgresEgressPolicy).
   */
  postgres: 5432,
  https: 443,
  http: 80,
  /** LKE's API server (behind 443 on the control-plane endpoint; 6443 where a client uses the raw port). */
  kubeApi: [443, 6443] as const,
  kubelet: 10250,
  nodeExporter: 9100,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** CoreDNS' metrics port in kube-system (kube-prometheus-stack's `coreDns` scrape). */
  coreDnsMetrics: 9153,
} as const;

/**
 * Hostname of an environment's Grafana: every environment runs its own kube-prometheus-stack, whose Grafana
 * ingress (helm values) answers here; the handoff sheet's dashboard links use the same function.
 */
export function grafanaHostname(env: Pick<EnvironmentModel, 'network'>): string {
  return `grafana.${env.network.dns.zone}`;
}

/** Hostname of ArgoCD's UI in the environment that runs it (argo-cd helm values and the handoff sheet). */
export function argocdHostname(env: Pick<EnvironmentModel, 'network'>): string {
  return `argocd.${env.network.dns.zone}`;
}

/** Pod Security Admission level per namespace: app namespaces are `restricted`; add-ons get what their charts need. */
export function podSecurityLevel(
  ns: Pick<NamespaceModel, 'name' | 'kind'>,
): 'restricted' | 'baseline' | 'privileged' {
  if (ns.kind === 'app') return 'restricted';
  // node-exporter (host network/PID) and Alloy (hostPath /var/log) cannot run under baseline.
  if (ns.name === PLATFORM.monitoring) return 'privileged';
  // ingress-nginx adds NET_BIND_SERVICE; the argocd chart runs as non-root but not with every restricted field.
  // Redis (`data`) is configured for `restricted` (helm/redis.ts), so it is enforced there.
  if (ns.name === PLATFORM.ingress || ns.name === PLATFORM.argocd) return 'baseline';
  return 'restricted';
}

/**
 * Namespaces envc manages in one environment's cluster, in code-point order (stable output). The model is the
 * one source of truth: normalize gives every environment its platform namespaces, the bot's (`envc-bot`, its
 * ServiceAccount is the bot's identity in every cluster) included, so the handoff sheet and the graph list
 * exactly what is applied here.
 */
export function managedNamespaces(env: EnvironmentModel): NamespaceModel[] {
  return [...env.namespaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function appNamespaces(env: EnvironmentModel): NamespaceModel[] {
  return managedNamespaces(env).filter((n) => n.kind === 'app');
}

/** Whether a platform namespace runs components that call the Kubernetes API (controllers, operators, the bot). */
export function talksToApiServer(ns: string): boolean {
  return ns !== PLATFORM.data && ns !== PLATFORM.system;
}

/** Namespace labels envc writes; selectors in policies use exactly these. */
export function namespaceLabels(env: EnvironmentModel, ns: NamespaceModel): Record<string, string> {
  const level = podSecurityLevel(ns);
  return {
    [LABEL.managedBy]: 'envc',
    [LABEL.environment]: env.name,
    [LABEL.namespaceKind]: ns.kind,
    [LABEL.owner]: ns.owner,
    [LABEL.metadataName]: ns.name,
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': `v${env.kubernetesVersion}`,
    // Audit and warn at restricted everywhere, so a platform chart drifting further from it shows up.
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': `v${env.kubernetesVersion}`,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': `v${env.kubernetesVersion}`,
  };
}

/** Labels on every object envc emits for an environment. */
export function commonLabels(env: string): Record<string, string> {
  return { [LABEL.managedBy]: 'envc', [LABEL.environment]: env };
}

/** Pod labels of a service's workload (what its Deployment selects and its policies match). */
export function servicePodLabels(env: string, service: string, owner: string): Record<string, string> {
  return { [LABEL.name]: service, [LABEL.partOf]: owner, [LABEL.environment]: env };
}

/** The selector subset of servicePodLabels (stable across releases; a Deployment selector is immutable). */
export function serviceSelector(service: string): Record<string, string> {
  return { [LABEL.name]: service };
}
