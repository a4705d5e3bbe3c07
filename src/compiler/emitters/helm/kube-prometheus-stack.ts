/**
 * kube-prometheus-stack values: Prometheus, Alertmanager (Slack, and the Watchdog to a dead-man's switch),
 * Grafana with Loki and Tempo as data sources, and the operator. LKE runs the control plane, so its
 * components' scrapes are off; everything the chart still scrapes by default (CoreDNS, kubelets, node
 * exporters, kube-state-metrics, the API server) has a NetworkPolicy path (kubernetes/platform-policies.ts).
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { grafanaHostname, LABEL, PLATFORM } from '../kubernetes/platform.js';
import { type Sizing, sizing } from './sizing.js';
import { EXTERNAL_SECRETS, ingressFor, res, STORAGE_CLASS, type Values } from './values.js';

/** The receiver the always-firing Watchdog alert goes to: a heartbeat URL that pages when the pings stop. */
export const DEAD_MANS_SWITCH = 'deadmans-switch';

/**
 * The Watchdog fires for as long as the alerting pipeline works. Sent every minute to the environment's
 * heartbeat URL, it proves Prometheus → Alertmanager → the internet is alive; the heartbeat service pages when
 * it stops. Without a heartbeat URL it goes nowhere (rule ENVC2043 warns).
 */
function watchdogRoute(env: EnvironmentModel): Values {
  return env.observability.heartbeatUrl
    ? {
        receiver: DEAD_MANS_SWITCH,
        matchers: ['alertname="Watchdog"'],
        group_wait: '0s',
        group_interval: '1m',
        repeat_interval: '1m',
        continue: false,
      }
    : { receiver: 'null', matchers: ['alertname="Watchdog"'], continue: false };
}

function deadMansSwitchReceivers(env: EnvironmentModel): Values[] {
  const url = env.observability.heartbeatUrl;
  return url ? [{ name: DEAD_MANS_SWITCH, webhook_configs: [{ url, send_resolved: false }] }] : [];
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
            watchdogRoute(env),
            { receiver: 'slack', matchers: [`channel="${model.slack.channel}"`], continue: false },
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
          ...deadMansSwitchReceivers(env),
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
      // No admin.existingSecret: the chart generates the admin password into the Secret
      // kube-prometheus-stack-grafana on install and keeps it on upgrades (its lookup), so Grafana starts on a
      // fresh cluster with nothing produced before it (ADR 0019). Grafana reads it only when it creates its
      // database; rotating a Secret would not change the password anyway.
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
