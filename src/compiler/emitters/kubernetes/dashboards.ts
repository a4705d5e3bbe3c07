/**
 * Grafana dashboards (JSON model, schemaVersion 39) built as data: environment health for every
 * environment, access overview where the bot runs. Serialised with sorted keys so output is stable.
 */

import { BURN_RATE_WINDOWS } from '../../../probe/burn-rate.js';
import type { EnvironmentModel, Model } from '../../model.js';
import { DASHBOARDS } from '../handoff/conventions.js';
import { BOT_METRICS, errorBudget, windowErrorRatio } from './monitoring-metrics.js';

/** The 30-day error ratio the availability panels show: failed requests over all requests of the window. */
const errorRatio30d = windowErrorRatio('30d', 'exported_service');

/** Dashboard uids are part of the handoff sheet's links; take them from its table so both agree. */
function uid(id: (typeof DASHBOARDS)[number]['uid']): string {
  return DASHBOARDS.find((d) => d.uid === id)!.uid;
}

/** JSON with object keys sorted at every level and two-space indentation. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

interface PanelSpec {
  title: string;
  type: 'timeseries' | 'stat' | 'table';
  unit?: string;
  targets: Array<[expr: string, legend: string]>;
  width?: number;
  description?: string;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana template variable, not a JS template
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panels(specs: PanelSpec[]): unknown[] {
  let x = 0;
  let y = 0;
  return specs.map((p, i) => {
    const w = p.width ?? 12;
    if (x + w > 24) {
      x = 0;
      y += 8;
    }
    const gridPos = { h: 8, w, x, y };
    x += w;
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: { defaults: { ...(p.unit ? { unit: p.unit } : {}) }, overrides: [] },
      options: {},
      targets: p.targets.map(([expr, legendFormat], j) => ({
        datasource: DATASOURCE,
        expr,
        legendFormat,
        refId: String.fromCharCode(65 + j),
      })),
    };
  });
}

function dashboard(
  uid: string,
  title: string,
  tags: string[],
  specs: PanelSpec[],
  environment?: string,
): unknown {
  return {
    uid,
    title,
    tags,
    editable: false,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    timezone: 'utc',
    templating: {
      list: [
        {
          name: 'datasource',
          type: 'datasource',
          query: 'prometheus',
          label: 'Data source',
          hide: 0,
          current: {},
          options: [],
          refresh: 1,
        },
        // Each environment has its own Grafana; the constant keeps links with `var-environment=<env>` meaningful.
        ...(environment
          ? [
              {
                name: 'environment',
                type: 'constant',
                query: environment,
                label: 'Environment',
                hide: 2,
                current: { text: environment, value: environment },
                options: [],
              },
            ]
          : []),
      ],
    },
    annotations: { list: [] },
    panels: panels(specs),
  };
}

export function environmentDashboard(env: EnvironmentModel, availability: number): unknown {
  const ns = env.namespaces
    .filter((n) => n.kind === 'app')
    .map((n) => n.name)
    .join('|');
  const appNs = ns === '' ? '__none__' : ns;
  const budget = errorBudget(availability);
  return dashboard(
    uid('envc-environment-health'),
    `envc / ${env.name} / environment health`,
    ['envc', env.name],
    [
      {
        title: `Availability (30d) vs ${availability}% SLO`,
        type: 'stat',
        unit: 'percentunit',
        width: 8,
        targets: [[`1 - (${errorRatio30d})`, '{{exported_service}}']],
      },
      {
        title: 'Error budget remaining (30d)',
        type: 'stat',
        unit: 'percentunit',
        width: 8,
        targets: [[`1 - ((${errorRatio30d}) / ${budget})`, '{{exported_service}}']],
      },
      {
        title: 'Firing alerts',
        type: 'stat',
        width: 8,
        targets: [
          [`count by (severity) (ALERTS{alertstate="firing",environment="${env.name}"})`, '{{severity}}'],
        ],
      },
      {
        title: 'Requests per second by service',
        type: 'timeseries',
        unit: 'reqps',
        targets: [
          [
            'sum by (exported_namespace, exported_service) (rate(nginx_ingress_controller_requests[5m]))',
            '{{exported_namespace}}/{{exported_service}}',
          ],
        ],
      },
      {
        title: 'p99 latency by service',
        type: 'timeseries',
        unit: 's',
        targets: [
          [
            'histogram_quantile(0.99, sum by (le, exported_namespace, exported_service) (rate(nginx_ingress_controller_request_duration_seconds_bucket[5m])))',
            '{{exported_namespace}}/{{exported_service}}',
          ],
        ],
      },
      {
        title: 'CPU requests vs quota',
        type: 'timeseries',
        unit: 'percentunit',
        targets: [
          [
            `sum by (namespace) (kube_resourcequota{namespace=~"${appNs}",resource="requests.cpu",type="used"}) / sum by (namespace) (kube_resourcequota{namespace=~"${appNs}",resource="requests.cpu",type="hard"})`,
            '{{namespace}}',
          ],
        ],
      },
      {
        title: 'Memory requests vs quota',
        type: 'timeseries',
        unit: 'percentunit',
        targets: [
          [
            `sum by (namespace) (kube_resourcequota{namespace=~"${appNs}",resource="requests.memory",type="used"}) / sum by (namespace) (kube_resourcequota{namespace=~"${appNs}",resource="requests.memory",type="hard"})`,
            '{{namespace}}',
          ],
        ],
      },
      {
        title: 'Container restarts (1h)',
        type: 'timeseries',
        targets: [
          [
            `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{namespace=~"${appNs}"}[1h]))`,
            '{{namespace}}/{{pod}}',
          ],
        ],
      },
      {
        title: 'Pods not ready',
        type: 'timeseries',
        targets: [
          [
            `sum by (namespace) (kube_pod_status_ready{condition="false",namespace=~"${appNs}"})`,
            '{{namespace}}',
          ],
        ],
      },
    ],
    env.name,
  );
}

/** Availability SLO per service: attainment, budget left and the burn rates the alerts watch. */
export function sloDashboard(env: EnvironmentModel, availability: number): unknown {
  const budget = errorBudget(availability);
  return dashboard(
    uid('envc-slo-availability'),
    `envc / ${env.name} / availability SLO (${availability}%)`,
    ['envc', env.name, 'slo'],
    [
      {
        title: 'Availability (30d)',
        type: 'stat',
        unit: 'percentunit',
        width: 12,
        targets: [[`1 - (${errorRatio30d})`, '{{exported_service}}']],
      },
      {
        title: 'Error budget remaining (30d)',
        type: 'stat',
        unit: 'percentunit',
        width: 12,
        targets: [[`1 - ((${errorRatio30d}) / ${budget})`, '{{exported_service}}']],
      },
      ...BURN_RATE_WINDOWS.map(({ long, short, factor: rate }) => ({
        title: `Burn rate ${long} / ${short} (alert above ${rate})`,
        type: 'timeseries' as const,
        targets: [
          [`envc:slo_errors_per_request:ratio_rate${long} / ${budget}`, `{{exported_service}} ${long}`],
          [`envc:slo_errors_per_request:ratio_rate${short} / ${budget}`, `{{exported_service}} ${short}`],
        ] as Array<[string, string]>,
      })),
    ],
    env.name,
  );
}

export function accessDashboard(model: Model): unknown {
  const m = BOT_METRICS;
  return dashboard(
    uid('envc-access-overview'),
    'envc / access overview',
    ['envc', 'access'],
    [
      {
        title: 'Active grants by environment and policy',
        type: 'timeseries',
        targets: [[`sum by (environment, policy) (${m.grantsActive})`, '{{environment}} {{policy}}']],
      },
      {
        title: 'Break-glass grants active',
        type: 'stat',
        width: 6,
        description: 'Any value above zero pages the channel; each needs a post-hoc review.',
        targets: [[`sum by (environment) (${m.grantsActive}{break_glass="true"})`, '{{environment}}']],
      },
      {
        title: 'Open drift incidents',
        type: 'stat',
        width: 6,
        targets: [[`sum by (environment) (${m.driftOpen})`, '{{environment}}']],
      },
      {
        title: 'Secret age vs rotation period',
        type: 'table',
        unit: 's',
        targets: [[m.secretAge, '{{environment}} {{secret}}']],
        description: `Secrets: ${model.secrets.map((s) => s.name).join(', ') || 'none'}.`,
      },
      {
        title: 'Time until rotation due',
        type: 'table',
        unit: 's',
        targets: [[`${m.secretDue} - time()`, '{{environment}} {{secret}}']],
      },
    ],
  );
}
