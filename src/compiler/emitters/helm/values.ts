/**
 * Helm values per release and environment, as data. Keys follow the charts pinned in
 * terraform/versions.ts (CHARTS); a chart upgrade changes that table and these functions together.
 * Names that other parts of envc rely on (pod labels in NetworkPolicies, the Sealed Secrets controller
 * name the bot and kubeseal use, Tempo's OTLP service) are set explicitly here.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import {
  argocdHostname,
  COMPONENTS,
  grafanaHostname,
  LABEL,
  PLATFORM,
  SEALED_SECRETS_CONTROLLER,
} from '../kubernetes/platform.js';
import { hours, type Resources, type Sizing, sizing } from './sizing.js';

export type Values = Record<string, unknown>;

/** Linode Block Storage, kept when a claim is deleted (metrics and logs survive a reinstall). */
export const STORAGE_CLASS = 'linode-block-storage-retain';

/** Secrets the values reference by name; created out of band as SealedSecrets, never by envc with a value. */
export const EXTERNAL_SECRETS = {
  alertmanagerSlack: { name: 'alertmanager-slack', key: 'webhook-url' },
  grafanaAdmin: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
} as const;

/** LogQL raw string matching the bot's audit lines (`"audit": true` in its JSON log). */
const AUDIT_LINE = '`"audit":\\s*true`';

export const LOKI_PUSH_URL = `http://loki-gateway.${PLATFORM.monitoring}.svc.cluster.local/loki/api/v1/push`;

function spread(ha: boolean, labels: Record<string, string>): Values {
  // Across nodes where possible; across zones does not apply (an LKE cluster lives in one region).
  return ha
    ? {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels },
          },
        ],
      }
    : {};
}

function res(x: Resources): Values {
  return { requests: { ...x.requests }, limits: { ...x.limits } };
}

function ingressFor(host: string, secretName: string) {
  return {
    enabled: true,
    ingressClassName: 'nginx',
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    hosts: [host],
    tls: [{ secretName, hosts: [host] }],
  };
}

export function kubePrometheusStack(model: Model, env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  const grafanaHost = grafanaHostname(env);
  const slackFile = `/etc/alertmanager/secrets/${EXTERNAL_SECRETS.alertmanagerSlack.name}/${EXTERNAL_SECRETS.alertmanagerSlack.key}`;
  return {
    commonLabels: { [LABEL.environment]: env.name },
    crds: { enabled: true },
    // LKE runs the control plane; its components are not scrapeable from inside the cluster.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    defaultRules: {
      create: true,
      rules: {
        etcd: false,
        kubeControllerManager: false,
        kubeSchedulerAlerting: false,
        kubeSchedulerRecording: false,
        kubeProxy: false,
      },
    },
    prometheus: {
      prometheusSpec: {
        replicas: s.replicas.prometheus,
        retention: env.observability.retention,
        retentionSize: `${Math.floor(s.storage.prometheusGi * 0.85)}GB`,
        externalLabels: { environment: env.name },
        // Select every PrometheusRule and ServiceMonitor (envc's carry no Helm release label).
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        resources: res(s.resources.prometheus),
        podAntiAffinity: s.ha ? 'hard' : '',
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: STORAGE_CLASS,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${s.storage.prometheusGi}Gi` } },
            },
          },
        },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: s.replicas.alertmanager,
        resources: res(s.resources.alertmanager),
        podAntiAffinity: s.ha ? 'hard' : '',
        secrets: [EXTERNAL_SECRETS.alertmanagerSlack.name],
        storage: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: STORAGE_CLASS,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${s.storage.alertmanagerGi}Gi` } },
            },
          },
        },
      },
      config: {
        global: { resolve_timeout: '5m' },
        route: {
          receiver: 'null',
          group_by: ['alertname', 'environment', 'namespace', 'exported_service'],
          group_wait: '30s',
          group_interval: '5m',
          repeat_interval: '4h',
          // envc's alerts carry `channel`; everything else (chart defaults) goes to the same channel at low priority.
          routes: [
            { receiver: 'slack', matchers: [`channel="${model.slack.channel}"`], continue: false },
            { receiver: 'null', matchers: ['alertname="Watchdog"'] },
            { receiver: 'slack', matchers: ['severity=~"critical|warning"'] },
          ],
        },
        inhibit_rules: [
          {
            source_matchers: ['severity="critical"'],
            target_matchers: ['severity="warning"'],
            equal: ['alertname', 'environment', 'namespace'],
          },
        ],
        receivers: [
          { name: 'null' },
          {
            name: 'slack',
            slack_configs: [
              {
                api_url_file: slackFile,
                channel: model.slack.channel,
                send_resolved: true,
                title: `[{{ .Status | toUpper }}] ${env.name}: {{ .CommonLabels.alertname }}`,
                text: '{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}',
              },
            ],
          },
        ],
      },
    },
    grafana: {
      enabled: true,
      // One replica: Grafana's SQLite state is per pod (HA Grafana needs an external database).
      replicas: 1,
      resources: res(s.resources.grafana),
      defaultDashboardsTimezone: 'utc',
      admin: {
        existingSecret: EXTERNAL_SECRETS.grafanaAdmin.name,
        userKey: EXTERNAL_SECRETS.grafanaAdmin.userKey,
        passwordKey: EXTERNAL_SECRETS.grafanaAdmin.passwordKey,
      },
      ingress: ingressFor(grafanaHost, 'grafana-tls'),
      'grafana.ini': {
        server: { root_url: `https://${grafanaHost}` },
        analytics: { check_for_updates: false, reporting_enabled: false },
        users: { allow_sign_up: false },
        'auth.anonymous': { enabled: false },
      },
      sidecar: {
        dashboards: {
          enabled: true,
          label: LABEL.grafanaDashboard,
          labelValue: '1',
          searchNamespace: PLATFORM.monitoring,
          folderAnnotation: 'grafana_folder',
          provider: { foldersFromFilesStructure: true },
        },
      },
      additionalDataSources: [
        {
          name: 'Loki',
          type: 'loki',
          uid: 'loki',
          url: `http://loki-gateway.${PLATFORM.monitoring}.svc.cluster.local`,
          access: 'proxy',
        },
        {
          name: 'Tempo',
          type: 'tempo',
          uid: 'tempo',
          url: `http://tempo.${PLATFORM.monitoring}.svc.cluster.local:3200`,
          access: 'proxy',
        },
      ],
    },
    prometheusOperator: {
      resources: res({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }),
    },
    'prometheus-node-exporter': { tolerations: [{ operator: 'Exists' }] },
  };
}

export function loki(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [
          {
            from: '2024-04-01',
            store: 'tsdb',
            object_store: 'filesystem',
            schema: 'v13',
            index: { prefix: 'loki_index_', period: '24h' },
          },
        ],
      },
      limits_config: {
        retention_period: hours(env.observability.logsRetention),
        reject_old_samples: true,
        reject_old_samples_max_age: '168h',
      },
      compactor: {
        retention_enabled: true,
        delete_request_store: 'filesystem',
        working_directory: '/var/loki/compactor',
      },
    },
    singleBinary: {
      replicas: 1,
      resources: res(s.resources.loki),
      persistence: { enabled: true, size: `${s.storage.lokiGi}Gi`, storageClass: STORAGE_CLASS },
    },
    gateway: {
      enabled: true,
      replicas: s.replicas.lokiGateway,
      ...spread(s.ha, { [LABEL.name]: 'loki', [LABEL.component]: 'gateway' }),
    },
    // Simple-scalable and microservice targets are off in single-binary mode.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    monitoring: { serviceMonitor: { enabled: true } },
  };
}

export function tempo(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    fullnameOverride: COMPONENTS.tempo.name,
    tempo: {
      retention: hours(env.observability.tracesRetention),
      resources: res(s.resources.tempo),
      metricsGenerator: { enabled: false },
      receivers: {
        otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${4317}` }, http: { endpoint: `0.0.0.0:${4318}` } } },
      },
    },
    persistence: { enabled: true, size: `${s.storage.tempoGi}Gi`, storageClassName: STORAGE_CLASS },
    serviceMonitor: { enabled: true },
  };
}

export function promtail(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    resources: res(s.resources.promtail),
    // Every node, GPU and batch pools included: their taints must not hide logs.
    tolerations: [{ operator: 'Exists' }],
    serviceMonitor: { enabled: true },
    config: {
      clients: [{ url: LOKI_PUSH_URL, external_labels: { environment: env.name } }],
      snippets: {
        pipelineStages: [
          { cri: {} },
          {
            // The bot's audit lines are JSON with the actor and the environment acted on: make both searchable labels.
            match: {
              selector: `{namespace="${COMPONENTS.bot.namespace}"} |~ ${AUDIT_LINE}`,
              stages: [
                // src/bot/audit.ts writes `audit`, `actor`, `env` (the environment acted on) and `action`.
                {
                  json: {
                    expressions: { actor: 'actor', audit_environment: 'env', action: 'action' },
                  },
                },
                { labels: { actor: '', audit_environment: '', action: '' } },
                { static_labels: { stream: 'audit' } },
              ],
            },
          },
        ],
      },
    },
  };
}

export function sealedSecrets(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    // kubeseal's and the bot's default controller name; the bot's RBAC names it too.
    fullnameOverride: SEALED_SECRETS_CONTROLLER,
    resources: res(s.resources.sealedSecrets),
    metrics: { serviceMonitor: { enabled: true } },
    keyrenewperiod: '720h',
    commonLabels: { [LABEL.environment]: env.name },
  };
}

export function ingressNginx(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    controller: {
      replicaCount: s.replicas.ingress,
      minAvailable: s.ha ? 2 : 0,
      ingressClassResource: { name: 'nginx', enabled: true, default: true },
      ingressClass: 'nginx',
      allowSnippetAnnotations: false,
      resources: res(s.resources.ingress),
      ...spread(s.ha, { [LABEL.name]: 'ingress-nginx', [LABEL.component]: 'controller' }),
      config: {
        'server-tokens': 'false',
        hsts: 'true',
        'ssl-redirect': 'true',
        'use-forwarded-headers': 'false',
        'enable-real-ip': 'false',
      },
      // A Linode NodeBalancer; Local keeps the client address for NetworkPolicies and logs.
      service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
      admissionWebhooks: { enabled: true },
    },
  };
}

export function certManager(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    crds: { enabled: true, keep: true },
    replicaCount: s.replicas.certManager,
    podDisruptionBudget: { enabled: s.ha },
    resources: res(s.resources.certManager),
    webhook: { replicaCount: s.replicas.certManager, podDisruptionBudget: { enabled: s.ha } },
    cainjector: { replicaCount: s.ha ? 2 : 1, podDisruptionBudget: { enabled: s.ha } },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    global: { commonLabels: { [LABEL.environment]: env.name } },
  };
}

export function argoCd(model: Model, env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  const host = argocdHostname(env);
  return {
    global: { domain: host },
    configs: {
      // TLS ends at the ingress controller.
      params: { 'server.insecure': true },
      cm: {
        'application.resourceTrackingMethod': 'annotation',
        'admin.enabled': false,
        'exec.enabled': false,
        'statusbadge.enabled': false,
      },
      repositories: { platform: { url: model.gitops.repoURL, type: 'git', name: 'platform' } },
    },
    'redis-ha': { enabled: s.ha },
    redis: { enabled: !s.ha },
    controller: { replicas: 1, resources: res(s.resources.argocd) },
    server: {
      replicas: s.replicas.argocd,
      resources: res(s.resources.argocd),
      ingress: {
        enabled: true,
        ingressClassName: 'nginx',
        hostname: host,
        tls: true,
        annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    repoServer: {
      replicas: s.replicas.argocd,
      resources: res(s.resources.argocd),
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    applicationSet: {
      replicas: s.replicas.argocd,
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
  };
}
