/**
 * Logs and traces: Loki (single binary), Tempo (grafana-community/helm-charts, the chart's maintained home)
 * and Grafana Alloy, which replaces the deprecated promtail as the log collector on every node. Alloy's
 * pipeline is the one promtail ran: CRI lines from /var/log/pods, the bot's audit lines made searchable by
 * actor and environment, pushed to the environment's Loki with an `environment` label. Pure data.
 */
import type { EnvironmentModel } from '../../model.js';
import { COMPONENTS, LABEL, PLATFORM } from '../kubernetes/platform.js';
import { hours, type Sizing, sizing } from './sizing.js';
import { res, STORAGE_CLASS, spread, type Values } from './values.js';

/** LogQL raw string matching the bot's audit lines (`"audit": true` in its JSON log). */
export const AUDIT_LINE = '`"audit":\\s*true`';

export const LOKI_PUSH_URL = `http://loki-gateway.${PLATFORM.monitoring}.svc.cluster.local/loki/api/v1/push`;

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

/** An Alloy (River) string literal: JSON's escaping is River's for every character used here. */
const str = (s: string): string => JSON.stringify(s);

/** The Alloy configuration: this node's pods' log files → CRI parsing → audit labels → Loki. */
export function alloyConfig(env: EnvironmentModel): string {
  const audit = `{namespace="${COMPONENTS.bot.namespace}"} |~ ${AUDIT_LINE}`;
  return [
    '// Pods on this node (NODE_NAME comes from the pod spec: the DaemonSet sees its own node only).',
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("NODE_NAME")',
    '  }',
    '}',
    '',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_namespace"]',
    '    target_label  = "namespace"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_name"]',
    '    target_label  = "pod"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_container_name"]',
    '    target_label  = "container"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]',
    '    target_label  = "app"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]',
    '    separator     = "/"',
    '    target_label  = "__path__"',
    '    replacement   = "/var/log/pods/*$1/*.log"',
    '  }',
    '}',
    '',
    'local.file_match "pods" {',
    '  path_targets = discovery.relabel.pods.output',
    '}',
    '',
    'loki.source.file "pods" {',
    '  targets    = local.file_match.pods.targets',
    '  forward_to = [loki.process.pods.receiver]',
    '}',
    '',
    'loki.process "pods" {',
    '  stage.cri {}',
    '',
    "  // The bot's audit lines are JSON with the actor and the environment acted on: make both searchable labels.",
    '  // src/bot/audit.ts writes `audit`, `actor`, `env` (the environment acted on) and `action`.',
    '  stage.match {',
    `    selector = ${str(audit)}`,
    '',
    '    stage.json {',
    '      expressions = { actor = "actor", audit_environment = "env", action = "action" }',
    '    }',
    '    stage.labels {',
    '      values = { actor = "", audit_environment = "", action = "" }',
    '    }',
    '    stage.static_labels {',
    '      values = { stream = "audit" }',
    '    }',
    '  }',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    '',
    'loki.write "default" {',
    '  endpoint {',
    `    url = ${str(LOKI_PUSH_URL)}`,
    '  }',
    `  external_labels = { environment = ${str(env.name)} }`,
    '}',
    '',
  ].join('\n');
}

export function alloy(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    alloy: {
      configMap: { create: true, content: alloyConfig(env) },
      // The pods' log files on the node (hostPath /var/log, read-only).
      mounts: { varlog: true },
      extraEnv: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      enableReporting: false,
      resources: res(s.resources.alloy),
    },
    controller: {
      type: 'daemonset',
      // Every node, GPU and batch pools included: their taints must not hide logs.
      tolerations: [{ operator: 'Exists' }],
    },
    serviceMonitor: { enabled: true },
  };
}
