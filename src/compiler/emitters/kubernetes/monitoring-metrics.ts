/** Metric names and SLO arithmetic shared by the PrometheusRules and the dashboards. Pure. */

import { type BurnRateWindow, errorBudget as budgetRatio } from '../../../probe/burn-rate.js';

/** Metric names the bot exports (bot and rotation issues); the rules and dashboards depend on exactly these. */
export const BOT_METRICS = {
  secretAge: 'envc_secret_age_seconds',
  secretDue: 'envc_secret_rotation_due_timestamp_seconds',
  driftOpen: 'envc_drift_incidents_open',
  grantsActive: 'envc_access_grants_active',
} as const;

/** Office hours (UTC) outside which an active ordinary grant is an anomaly worth a look. */
export const OFFICE_HOURS_UTC = { from: 7, to: 19 } as const;

/**
 * Alertmanager severity of each burn-rate window's class (src/probe/burn-rate.ts: `page` wakes someone,
 * `ticket` waits for working hours). The windows themselves are imported from there, never repeated here.
 */
export const ALERT_SEVERITY = { page: 'critical', ticket: 'warning' } as const satisfies Record<
  BurnRateWindow['severity'],
  string
>;

/** Rounds away binary-float noise (1 - 0.995 = 0.0050000000000000044). */
export function num(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** The fraction of requests allowed to fail, as PromQL text: 99.5 → "0.005" (the probe's arithmetic). */
export function errorBudget(availability: number): string {
  return num(budgetRatio(availability));
}

/** The ingress controller's request counter: the SLI's source (5xx answers are the errors). */
export const REQUESTS = 'nginx_ingress_controller_requests';

/**
 * Errors per request over a window, weighted by requests: the window's failed requests over all its requests,
 * per service. (An average of hourly ratios would let a quiet hour with one failure weigh as much as the
 * busiest hour.)
 */
export function windowErrorRatio(window: string, by = 'exported_namespace, exported_service'): string {
  return `sum by (${by}) (increase(${REQUESTS}{status=~"5.."}[${window}]))\n/\nsum by (${by}) (increase(${REQUESTS}[${window}]))`;
}
