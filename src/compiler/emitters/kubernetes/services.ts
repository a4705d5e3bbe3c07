/**
 * One service in one environment, built with cdk8s-plus: ServiceAccount, Deployment, Service, Ingress (TLS,
 * host from the spec), ServiceMonitor, PodDisruptionBudget and — where the spec asks — a
 * HorizontalPodAutoscaler. Pods pass the Pod Security Standards `restricted` profile: non-root, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, read-only root filesystem, requests and limits.
 */
import type * as Cdk8s from 'cdk8s';
import type * as Plus from 'cdk8s-plus-33';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { EnvironmentModel, ServiceInstance } from '../../model.js';
import {
  postgresConnectionSecret,
  postgresCredentialsSecret,
  presentSecrets,
  REDIS_PASSWORD_KEY,
  redisCredentialsSecret,
  redisEndpoint,
} from '../handoff/conventions.js';
import { GPU_RESOURCE, gpuPoolsFor, poolTolerations } from '../helm/gpu.js';
import type { MonitoringModels } from './monitoring.js';
import { effectiveAllowFrom } from './network-policies.js';
import type { KubeObject } from './objects.js';
import {
  ANNOTATION,
  COMPONENTS,
  commonLabels,
  PORTS,
  servicePodLabels,
  serviceSelector,
} from './platform.js';
import { newChart } from './render.js';

export interface Libs {
  cdk8s: typeof Cdk8s;
  plus: typeof Plus;
}

/** The unprivileged user every service runs as (images must not need root; 65532 is distroless' nonroot). */
export const RUN_AS = 65532;
export const CLUSTER_ISSUER = 'letsencrypt';
export const INGRESS_CLASS = 'nginx';

/** Where a secret's keys appear inside the container (one directory per secret, read-only). */
export function secretMountPath(secret: string): string {
  return `/var/run/secrets/envc/${secret}`;
}

/**
 * Secrets a service's pods mount: its own (sealed by envc) and the Secrets of the data services it uses —
 * for PostgreSQL both the connection Secret Terraform writes (host, port, ca.crt) and the rotated credentials
 * SealedSecret (username, password) where one exists in the service's namespace; for Redis the password
 * SealedSecret envc declares and rotates itself. Names come from the handoff conventions, so the sheet and the
 * pod agree; a Secret nobody writes is never mounted (the pod would not start).
 */
export function mountedSecrets(env: EnvironmentModel, s: ServiceInstance): string[] {
  const names = new Set(presentSecrets(env, s));
  if (s.dataServices.includes('postgres')) {
    const connection = postgresConnectionSecret(env);
    if (connection) names.add(connection.name);
    const credentials = postgresCredentialsSecret(env);
    if (credentials?.namespaces.includes(s.namespace)) names.add(credentials.name);
  }
  if (s.dataServices.includes('redis')) {
    const redis = redisCredentialsSecret(env);
    if (redis?.namespaces.includes(s.namespace)) names.add(redis.name);
  }
  return [...names].sort();
}

/**
 * Where Redis is, as plain environment variables (no secret): host and port, plus the master set when they
 * are a Sentinel's (the client then asks Sentinel for the primary); the password is a file of the mounted
 * Secret, so a rotation reaches the pod with its restart and never sits in the pod spec.
 */
export function redisEnv(env: EnvironmentModel, s: ServiceInstance): Record<string, string> {
  const endpoint = redisEndpoint(env);
  const secret = redisCredentialsSecret(env);
  if (!s.dataServices.includes('redis') || !endpoint || !secret) return {};
  return {
    REDIS_HOST: endpoint.host,
    REDIS_PORT: String(endpoint.port),
    ...(endpoint.masterSet ? { REDIS_SENTINEL_MASTER: endpoint.masterSet } : {}),
    REDIS_PASSWORD_FILE: `${secretMountPath(secret.name)}/${REDIS_PASSWORD_KEY}`,
  };
}

/** File under `kubernetes/<env>/services/<service>/` each kind goes to. */
export const SERVICE_FILES: Record<string, string> = {
  ServiceAccount: 'serviceaccount.yaml',
  Deployment: 'deployment.yaml',
  Service: 'service.yaml',
  Ingress: 'ingress.yaml',
  ServiceMonitor: 'servicemonitor.yaml',
  PodDisruptionBudget: 'pdb.yaml',
  HorizontalPodAutoscaler: 'hpa.yaml',
};

/**
 * Builds the service's objects in a chart of its own and returns them as plain objects (the chart is
 * rendered in memory).
 */
export function serviceObjects(
  env: EnvironmentModel,
  s: ServiceInstance,
  libs: Libs,
  crd: MonitoringModels,
): KubeObject[] {
  const { cdk8s, plus } = libs;
  const chart = newChart(cdk8s, `${env.name}--${s.name}`);
  const ns = s.namespace;
  const labels = servicePodLabels(env.name, s.name, s.owner);
  const meta = { name: s.name, namespace: ns, labels: { ...commonLabels(env.name), ...labels } };
  const sources = effectiveAllowFrom(env, s);
  const allowFrom = sources.length > 0 ? { [ANNOTATION.allowFrom]: sources.join(',') } : undefined;

  const account = new plus.ServiceAccount(chart, 'serviceaccount', { metadata: meta, automountToken: false });

  const secretVolumes = mountedSecrets(env, s).map((name) => ({
    name,
    volume: plus.Volume.fromSecret(
      chart,
      `secret-${name}`,
      plus.Secret.fromSecretName(chart, `secret-ref-${name}`, name),
      {
        name: `secret-${name}`,
        optional: false,
      },
    ),
  }));
  const tmp = plus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: cdk8s.Size.mebibytes(64) });

  const deployment = new plus.Deployment(chart, 'deployment', {
    metadata: { ...meta, ...(allowFrom ? { annotations: allowFrom } : {}) },
    // With an HPA the autoscaler owns replicas; writing them would fight it (and ArgoCD with it).
    ...(s.autoscaling ? {} : { replicas: s.replicas }),
    select: false,
    podMetadata: { labels, ...(allowFrom ? { annotations: allowFrom } : {}) },
    serviceAccount: account,
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: RUN_AS, group: RUN_AS, fsGroup: RUN_AS },
    strategy: plus.DeploymentStrategy.rollingUpdate({
      maxSurge: plus.PercentOrAbsolute.absolute(1),
      maxUnavailable: plus.PercentOrAbsolute.absolute(0),
    }),
    containers: [
      {
        name: 'app',
        image: s.image,
        imagePullPolicy: plus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [
          { number: s.port, name: 'http', protocol: plus.Protocol.TCP },
          ...(s.metrics && s.metrics.port !== s.port
            ? [{ number: s.metrics.port, name: 'metrics', protocol: plus.Protocol.TCP }]
            : []),
        ],
        resources: {
          cpu: {
            request: plus.Cpu.millis(s.resources.requests.cpu.value),
            limit: plus.Cpu.millis(s.resources.limits.cpu.value),
          },
          memory: {
            request: cdk8s.Size.mebibytes(s.resources.requests.memory.value / 1024 ** 2),
            limit: cdk8s.Size.mebibytes(s.resources.limits.memory.value / 1024 ** 2),
          },
        },
        liveness: plus.Probe.fromHttpGet(s.health, {
          port: s.port,
          initialDelaySeconds: cdk8s.Duration.seconds(10),
          periodSeconds: cdk8s.Duration.seconds(10),
          failureThreshold: 3,
        }),
        readiness: plus.Probe.fromHttpGet(s.health, {
          port: s.port,
          periodSeconds: cdk8s.Duration.seconds(5),
          failureThreshold: 3,
        }),
        startup: plus.Probe.fromHttpGet(s.health, {
          port: s.port,
          periodSeconds: cdk8s.Duration.seconds(5),
          failureThreshold: 30,
        }),
        securityContext: {
          ensureNonRoot: true,
          user: RUN_AS,
          group: RUN_AS,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: [plus.Capability.ALL] },
          seccompProfile: { type: plus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        envVariables: {
          ENVC_ENVIRONMENT: plus.EnvValue.fromValue(env.name),
          OTEL_SERVICE_NAME: plus.EnvValue.fromValue(s.name),
          OTEL_EXPORTER_OTLP_ENDPOINT: plus.EnvValue.fromValue(
            `http://tempo.${COMPONENTS.tempo.namespace}.svc:${PORTS.otlpHttp}`,
          ),
          OTEL_RESOURCE_ATTRIBUTES: plus.EnvValue.fromValue(
            `deployment.environment=${env.name},service.namespace=${ns}`,
          ),
          ...Object.fromEntries(
            Object.entries(redisEnv(env, s)).map(([k, v]) => [k, plus.EnvValue.fromValue(v)]),
          ),
        },
        volumeMounts: [
          { path: '/tmp', volume: tmp },
          ...secretVolumes.map((v) => ({ path: secretMountPath(v.name), volume: v.volume, readOnly: true })),
        ],
      },
    ],
  });
  deployment.select(plus.LabelSelector.of({ labels: serviceSelector(s.name) }));
  if (s.gpu) placeOnGpuPool(plus, env, s, deployment);

  const service = new plus.Service(chart, 'service', {
    metadata: meta,
    // Select on the explicit service label (not cdk8s' construct-address label), as the Deployment does.
    selector: plus.Pods.select(chart, 'service-pods', { labels: serviceSelector(s.name) }),
    type: plus.ServiceType.CLUSTER_IP,
    ports: [
      { name: 'http', port: s.port, targetPort: s.port, protocol: plus.Protocol.TCP },
      ...(s.metrics && s.metrics.port !== s.port
        ? [{ name: 'metrics', port: s.metrics.port, targetPort: s.metrics.port, protocol: plus.Protocol.TCP }]
        : []),
    ],
  });

  if (s.ingress) {
    const tlsSecret = plus.Secret.fromSecretName(chart, 'tls-secret', `${s.name}-tls`);
    new plus.Ingress(chart, 'ingress', {
      metadata: {
        ...meta,
        annotations: {
          'cert-manager.io/cluster-issuer': CLUSTER_ISSUER,
          'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        },
      },
      className: INGRESS_CLASS,
      rules: [
        {
          host: s.ingress.host,
          path: s.ingress.path,
          pathType: plus.HttpIngressPathType.PREFIX,
          backend: plus.IngressBackend.fromService(service, { port: s.port }),
        },
      ],
      tls: [{ hosts: [s.ingress.host], secret: tlsSecret }],
    });
  }

  if (s.metrics) {
    const monitor = new crd.ServiceMonitor({
      metadata: meta,
      spec: {
        selector: { matchLabels: serviceSelector(s.name) },
        endpoints: [
          { port: s.metrics.port === s.port ? 'http' : 'metrics', path: s.metrics.path, interval: '30s' },
        ],
      },
    });
    new cdk8s.ApiObject(chart, 'servicemonitor', monitor.toJSON() as Cdk8s.ApiObjectProps);
  }

  // Voluntary evictions (node drains, upgrades) take at most one pod at a time; a crash-looping pod never blocks a drain.
  const pdb: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta,
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: serviceSelector(s.name) },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
  new cdk8s.ApiObject(chart, 'pdb', pdb as Cdk8s.ApiObjectProps);

  if (s.autoscaling) {
    new plus.HorizontalPodAutoscaler(chart, 'hpa', {
      metadata: meta,
      target: deployment,
      minReplicas: s.autoscaling.min,
      maxReplicas: s.autoscaling.max,
      metrics: [
        plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(s.autoscaling.targetCPUUtilization)),
      ],
    });
  }
  return (chart.toJson() as KubeObject[]).map((o) => withGpuLimit(tidy(o), s));
}

/**
 * `nvidia.com/gpu` on the app container's limits: an extended resource cdk8s-plus has no field for (and its
 * generated classes drop unknown quantities from a JSON patch), so it is set on the rendered object. Requests
 * default to limits for extended resources.
 */
function withGpuLimit(o: KubeObject, s: ServiceInstance): KubeObject {
  if (o.kind !== 'Deployment' || !s.gpu) return o;
  const pod = (
    o.spec as {
      template: { spec: { containers: Array<{ resources?: { limits?: Record<string, string> } }> } };
    }
  ).template.spec;
  const app = pod.containers[0];
  if (app)
    app.resources = {
      ...app.resources,
      limits: { ...app.resources?.limits, [GPU_RESOURCE]: String(s.gpu.count) },
    };
  return o;
}

/**
 * A GPU service: its pods tolerate the GPU pool's taints and are attracted to the pool's nodes by its labels
 * (one OR-ed term per pool); the `nvidia.com/gpu` limit is added by withGpuLimit.
 */
function placeOnGpuPool(
  plus: typeof Plus,
  env: EnvironmentModel,
  s: ServiceInstance,
  deployment: Plus.Deployment,
) {
  const pools = gpuPoolsFor(env, s);
  for (const t of poolTolerations(pools))
    deployment.scheduling.tolerate(
      plus.Node.tainted(
        plus.NodeTaintQuery.is(t.key, t.value ?? '', { effect: t.effect as Plus.TaintEffect }),
      ),
    );
  for (const p of pools) {
    const keys = Object.keys(p.labels).sort();
    if (keys.length === 0) continue;
    deployment.scheduling.attract(
      plus.Node.labeled(...keys.map((k) => plus.NodeLabelQuery.is(k, p.labels[k]!))),
    );
  }
}

/** cdk8s-plus marks pods with its construct-address label and writes empty lists; envc selects on its own labels. */
function tidy(o: KubeObject): KubeObject {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (o.kind === 'Deployment' && spec) {
    const template = spec.template as { metadata?: { labels?: Record<string, string> } };
    if (template.metadata?.labels) delete template.metadata.labels[CDK8S_ADDR_LABEL];
  }
  if (o.kind === 'Service' && spec && Array.isArray(spec.externalIPs) && spec.externalIPs.length === 0)
    delete spec.externalIPs;
  return o;
}

const CDK8S_ADDR_LABEL = 'cdk8s.io/metadata.addr';
