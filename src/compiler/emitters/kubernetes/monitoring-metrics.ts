/** Metric names and SLO arithmetic shared by the PrometheusRules and the dashboards. Pure. */

/** Metric names the bot exports (bot and rotation issues); the rules and dashboards depend on exactly these. */
export const BOT_METRICS = {
  secretAge: 'envc_secret_age_seconds',
  secretDue: 'envc_secret_rotation_due_timestamp_seconds',
  driftOpen: 'envc_drift_incidents_open',
  grantsActive: 'envc_access_grants_active',
} as const;

/** Office hours (UTC) outside which an active ordinary grant is an anomaly worth a look. */
export const OFFICE_HOURS_UTC = { from: 7, to: 19 } as const;

/** Windows of the multi-window, multi-burn-rate alerts: [long, short, burn rate, severity]. */
export const BURN_RATE_WINDOWS = [
  ['1h', '5m', 14.4, 'critical'],
  ['6h', '30m', 6, 'critical'],
  ['1d', '2h', 3, 'warning'],
  ['3d', '6h', 1, 'warning'],
] as const;

/** Rounds away binary-float noise (1 - 0.995 = 0.0050000000000000044). */
export function num(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** The fraction of requests allowed to fail: 99.5 → 0.005. */
export function errorBudget(availability: number): string {
  return num(1 - availability / 100);
}
