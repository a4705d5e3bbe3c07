/**
 * Monitoring of one environment: PrometheusRules for the availability SLO (multi-window, multi-burn-rate
 * alerts after the SRE workbook), and — in the environment that runs the bot, whose /metrics carry every
 * environment's figures — secret freshness, drift and access anomalies; plus Grafana dashboards as
 * ConfigMaps the sidecar loads. Every alert carries `environment` and `channel` (Alertmanager routes on
 * `channel` to the spec's Slack channel). Pure data.
 */
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { BURN_RATE_WINDOWS } from '../../../probe/burn-rate.js';
import type { EnvironmentModel, Model } from '../../model.js';
import { formatDuration, parseDuration } from '../../quantities.js';
import { accessDashboard, environmentDashboard, sloDashboard, stableJson } from './dashboards.js';
import { ALERT_SEVERITY, BOT_METRICS, errorBudget, OFFICE_HOURS_UTC } from './monitoring-metrics.js';
import type { KubeObject, Manifest } from './objects.js';
import { BOT_NAMESPACE, COMPONENTS, commonLabels, LABEL, PLATFORM } from './platform.js';

export interface MonitoringModels {
  PrometheusRule: new (data: Omit<IPrometheusRule, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
  ServiceMonitor: new (data: Omit<IServiceMonitor, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
}

/** The bot labels its series with the environment; alert labels are templates, so the alert carries it explicitly. */
const FROM_SERIES = '{{ $labels.environment }}';

export function monitoring(model: Model, env: EnvironmentModel, lib: MonitoringModels): Manifest[] {
  const out: Manifest[] = [];
  const ns = PLATFORM.monitoring;
  const labels = commonLabels(env.name);
  const alertLabels = (severity: string) => ({
    channel: model.slack.channel,
    environment: env.name,
    severity,
  });

  if (env.services.some((s) => s.ingress)) {
    const budget = errorBudget(model.slo.availability);
    // Shortest window first, so the recording rules read in order.
    const windows = [
      ...new Set([...BURN_RATE_WINDOWS.map((w) => w.long), ...BURN_RATE_WINDOWS.map((w) => w.short)]),
    ].sort((a, b) => (parseDuration(a) ?? 0) - (parseDuration(b) ?? 0));
    const ratio = (w: string) => `envc:slo_errors_per_request:ratio_rate${w}`;
    const by = 'exported_namespace, exported_service';
    const target = `${model.slo.availability}%`;
    const slo = new lib.PrometheusRule({
      metadata: { name: 'envc-slo', namespace: ns, labels },
      spec: {
        groups: [
          {
            name: 'envc-slo-sli',
            rules: windows.map((w) => ({
              record: ratio(w),
              // Errors are 5xx answers at the ingress controller (what a user sees), per service.
              expr: `sum by (${by}) (rate(nginx_ingress_controller_requests{status=~"5.."}[${w}]))\n/\nsum by (${by}) (rate(nginx_ingress_controller_requests[${w}]))`,
              labels: { environment: env.name },
            })),
          },
          {
            name: 'envc-slo-burn-rate',
            rules: (['critical', 'warning'] as const).map((severity) => {
              const pairs = BURN_RATE_WINDOWS.filter((w) => ALERT_SEVERITY[w.severity] === severity);
              const expr = pairs
                .map(
                  ({ long, short, factor }) =>
                    `(${ratio(long)} > (${factor} * ${budget}) and ${ratio(short)} > (${factor} * ${budget}))`,
                )
                .join('\nor\n');
              const fast = severity === 'critical';
              return {
                alert: fast ? 'EnvcSLOErrorBudgetBurnFast' : 'EnvcSLOErrorBudgetBurnSlow',
                expr,
                for: fast ? '2m' : '15m',
                labels: { ...alertLabels(severity), slo: `availability-${model.slo.availability}` },
                annotations: {
                  summary: `{{ $labels.exported_service }} in ${env.name} is burning its ${target} error budget ${fast ? 'fast' : 'steadily'}`,
                  description: `Error ratio {{ $value | humanizePercentage }} over the alert window; at this rate the 30-day budget of the ${target} availability SLO ${fast ? 'is gone within days' : 'runs out before the window ends'}.`,
                },
              };
            }),
          },
        ],
      },
    });
    out.push({ object: slo.toJSON() as KubeObject, origin: env.origin });
  }

  if (env.hosts.includes('bot')) out.push(...platformRules(model, env, lib));

  const dashboards: Array<[string, string, unknown]> = [
    ['envc-environment-health', 'environment-health.json', environmentDashboard(env, model.slo.availability)],
    ['envc-slo-availability', 'slo-availability.json', sloDashboard(env, model.slo.availability)],
  ];
  if (env.hosts.includes('bot'))
    dashboards.push(['envc-access-overview', 'access-overview.json', accessDashboard(model)]);
  for (const [name, file, dashboard] of dashboards) {
    const cm: IConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: ns,
        labels: { ...labels, [LABEL.grafanaDashboard]: '1' },
        annotations: { grafana_folder: 'envc' },
      },
      data: { [file]: stableJson(dashboard) },
    };
    out.push({ object: cm as KubeObject, origin: env.origin });
  }
  return out;
}

/** Rules over the bot's metrics: one set, in the cluster that scrapes the bot, covering every environment. */
function platformRules(model: Model, env: EnvironmentModel, lib: MonitoringModels): Manifest[] {
  const ch = model.slack.channel;
  const m = BOT_METRICS;
  const labels = commonLabels(env.name);
  const secretRules = model.environments.flatMap((e) =>
    e.secrets.flatMap((s) => {
      const sel = `{environment="${e.name}",secret="${s.name}"}`;
      // Past due by more than the grace period (or a day): the service runs on a credential it should not.
      const limit = s.rotateEverySeconds + Math.max(s.gracePeriodSeconds, 86_400);
      return [
        {
          alert: 'EnvcSecretRotationOverdue',
          expr: `${m.secretAge}${sel} > ${limit}`,
          for: '15m',
          labels: { channel: ch, environment: e.name, secret: s.name, severity: 'critical' },
          annotations: {
            summary: `secret ${s.name} in ${e.name} is {{ $value | humanizeDuration }} old (rotate every ${formatDuration(s.rotateEverySeconds)})`,
            description: `Run \`envc rotate --env ${e.name} --secret ${s.name}\` or \`/infra rotate ${s.name} ${e.name}\`, and check the last rotation thread.`,
          },
        },
        {
          alert: 'EnvcSecretFreshnessUnknown',
          expr: `absent(${m.secretAge}${sel})`,
          for: '30m',
          labels: { channel: ch, environment: e.name, secret: s.name, severity: 'warning' },
          annotations: {
            summary: `the bot reports no age for secret ${s.name} in ${e.name}`,
            description: 'Is the envc bot running and scraped?',
          },
        },
      ];
    }),
  );
  const rule = new lib.PrometheusRule({
    metadata: { name: 'envc-platform', namespace: PLATFORM.monitoring, labels },
    spec: {
      groups: [
        {
          name: 'envc-secret-freshness',
          rules: [
            {
              alert: 'EnvcSecretRotationDue',
              expr: `${m.secretDue} < time()`,
              for: '1h',
              labels: { channel: ch, environment: FROM_SERIES, severity: 'warning' },
              annotations: {
                summary:
                  'secret {{ $labels.secret }} in {{ $labels.environment }} was due for rotation at {{ $value | humanizeTimestamp }}',
                description:
                  'The scheduled rotation has not run or failed; see the rotation thread in the channel.',
              },
            },
            ...secretRules,
          ],
        },
        {
          name: 'envc-drift',
          rules: [
            {
              alert: 'EnvcDriftDetected',
              expr: `${m.driftOpen} > 0`,
              for: '10m',
              labels: { channel: ch, environment: FROM_SERIES, severity: 'warning' },
              annotations: {
                summary: '{{ $labels.environment }} has drifted from environments.yaml',
                description:
                  'The live infrastructure differs from the last applied plan; see the drift thread, `/infra drift {{ $labels.environment }}`.',
              },
            },
          ],
        },
        {
          name: 'envc-access',
          rules: [
            {
              alert: 'EnvcBreakGlassActive',
              expr: `${m.grantsActive}{break_glass="true"} > 0`,
              for: '0m',
              labels: { channel: ch, environment: FROM_SERIES, severity: 'critical' },
              annotations: {
                summary: 'break-glass access is active in {{ $labels.environment }} ({{ $labels.policy }})',
                description:
                  'Cluster-wide incident access (approved); a post-hoc review is required in the grant thread.',
              },
            },
            {
              alert: 'EnvcAccessGrantOutsideHours',
              expr: `sum by (environment, policy) (${m.grantsActive}{break_glass!="true"}) > 0\nand on ()\n(hour() < ${OFFICE_HOURS_UTC.from} or hour() >= ${OFFICE_HOURS_UTC.to} or day_of_week() == 0 or day_of_week() == 6)`,
              for: '5m',
              labels: { channel: ch, environment: FROM_SERIES, severity: 'warning' },
              annotations: {
                summary:
                  'access grant active in {{ $labels.environment }} ({{ $labels.policy }}) outside office hours',
                description: `Office hours are ${OFFICE_HOURS_UTC.from}:00-${OFFICE_HOURS_UTC.to}:00 UTC on weekdays; check \`/infra access list\`.`,
              },
            },
          ],
        },
      ],
    },
  });
  const monitor = new lib.ServiceMonitor({
    metadata: { name: 'envc-bot', namespace: BOT_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { ...COMPONENTS.bot.labels } },
      // The bot serves /metrics on its one HTTP port.
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    },
  });
  return [
    { object: rule.toJSON() as KubeObject, origin: env.origin },
    { object: monitor.toJSON() as KubeObject, origin: env.origin },
  ];
}
