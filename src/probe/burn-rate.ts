/**
 * The multi-window, multi-burn-rate alerting rule for the availability SLO (Google SRE workbook, ch. 5),
 * stated once. The Kubernetes emitter's PrometheusRules and the bot's probe job both import these
 * constants, so an alert in Grafana and a thread in Slack fire on the same arithmetic.
 *
 * For a 99.5% SLO over 30 days the error budget is 0.5%. A window pair fires when the error ratio over
 * BOTH its long and its short window is at least `factor` × budget: the long window proves the burn is
 * significant, the short one that it is still happening (so the alert resolves soon after recovery).
 */

/** The SLO period the budget is measured over. */
export const SLO_PERIOD = '30d';
export const SLO_PERIOD_SECONDS = 30 * 24 * 3600;

export interface BurnRateWindow {
  /** Stable id, used in alert names and Slack messages: e.g. `1h-5m`. */
  id: string;
  /** Prometheus range, e.g. `1h`. */
  long: string;
  longSeconds: number;
  short: string;
  shortSeconds: number;
  /** Burn-rate multiple of the error budget that fires this pair. */
  factor: number;
  /** `page`: wake someone; `ticket`: look at it in working hours. */
  severity: 'page' | 'ticket';
  /** Share of the 30-day budget spent when the long window burns at `factor` (factor × long / period). */
  budgetSpent: number;
}

const HOUR = 3600;
const MINUTE = 60;

function pair(
  long: string,
  longSeconds: number,
  short: string,
  shortSeconds: number,
  factor: number,
  severity: 'page' | 'ticket',
): BurnRateWindow {
  return {
    id: `${long}-${short}`,
    long,
    longSeconds,
    short,
    shortSeconds,
    factor,
    severity,
    budgetSpent: (factor * longSeconds) / SLO_PERIOD_SECONDS,
  };
}

/**
 * 1h/5m at 14.4× and 6h/30m at 6× page (2% and 5% of the budget gone); 1d/2h at 3× and 3d/6h at 1× open a
 * ticket (10% each). Ordered from fastest to slowest burn.
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = Object.freeze([
  pair('1h', HOUR, '5m', 5 * MINUTE, 14.4, 'page'),
  pair('6h', 6 * HOUR, '30m', 30 * MINUTE, 6, 'page'),
  pair('1d', 24 * HOUR, '2h', 2 * HOUR, 3, 'ticket'),
  pair('3d', 72 * HOUR, '6h', 6 * HOUR, 1, 'ticket'),
]);

/** The longest window any rule looks at: how much probe history an evaluation needs. */
export const LONGEST_WINDOW_SECONDS = Math.max(...BURN_RATE_WINDOWS.map((w) => w.longSeconds));

/** The default availability objective, in percent. */
export const DEFAULT_AVAILABILITY = 99.5;

/** Error budget as a ratio: 99.5 → 0.005. Rounded to avoid 1 - 0.995 = 0.0050000000000000044. */
export function errorBudget(availabilityPercent: number): number {
  return Math.round((100 - availabilityPercent) * 1e9) / 1e11;
}

/** The error-ratio threshold of one window pair: factor × budget (14.4 × 0.005 = 0.072). */
export function errorRatioThreshold(window: BurnRateWindow, availabilityPercent: number): number {
  return Math.round(window.factor * errorBudget(availabilityPercent) * 1e12) / 1e12;
}
