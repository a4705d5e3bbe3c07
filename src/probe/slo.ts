/**
 * SLO arithmetic over recorded probe results. Pure: the caller passes the samples and `now`.
 *
 * Every probe result counts as one event (as `avg_over_time(probe_success[w])` does in Prometheus), so an
 * environment's error ratio over a window is failed results / all results in (now − window, now]. A window
 * without samples has no ratio ("no data"), and no data never fires an alert — as in Prometheus.
 */
import { BURN_RATE_WINDOWS, type BurnRateWindow, errorBudget, errorRatioThreshold } from './burn-rate.js';

export interface Sample {
  at: Date;
  ok: boolean;
}

export interface WindowRatio {
  total: number;
  failed: number;
  /** failed / total; undefined without samples. */
  errorRatio?: number;
  /** 1 − errorRatio, as a ratio (0.995); undefined without samples. */
  availability?: number;
}

/** The rolling windows `envc probe` reports availability over. */
export const AVAILABILITY_WINDOWS = [
  { id: '1h', seconds: 3600 },
  { id: '1d', seconds: 86_400 },
  { id: '7d', seconds: 7 * 86_400 },
  { id: '30d', seconds: 30 * 86_400 },
] as const;

/** Error ratio of the samples in (now − seconds, now]. */
export function windowRatio(samples: readonly Sample[], now: Date, seconds: number): WindowRatio {
  const end = now.getTime();
  const start = end - seconds * 1000;
  let total = 0;
  let failed = 0;
  for (const s of samples) {
    const t = s.at.getTime();
    if (t > start && t <= end) {
      total++;
      if (!s.ok) failed++;
    }
  }
  if (total === 0) return { total, failed };
  const errorRatio = failed / total;
  return { total, failed, errorRatio, availability: 1 - errorRatio };
}

export interface BurnEvaluation {
  window: BurnRateWindow;
  /** Error-ratio threshold: factor × budget. */
  threshold: number;
  long: WindowRatio;
  short: WindowRatio;
  /** errorRatio / budget; undefined without samples. */
  longBurnRate?: number;
  shortBurnRate?: number;
  /** Both windows' error ratios above the threshold (strictly, like PromQL's `>`). */
  firing: boolean;
}

export interface SloEvaluation {
  /** Target in percent (99.5). */
  objective: number;
  /** As a ratio (0.005). */
  errorBudget: number;
  now: Date;
  availability: Record<(typeof AVAILABILITY_WINDOWS)[number]['id'], WindowRatio>;
  /** Share of the 30-day budget left (1 = untouched, < 0 = overspent); undefined without samples. */
  budgetRemaining?: number;
  windows: BurnEvaluation[];
  /** The most severe firing window pair's severity, or undefined when nothing fires. */
  severity?: 'page' | 'ticket';
  /** The window pairs that fire, fastest burn first. */
  firing: BurnRateWindow[];
}

export function evaluateSlo(
  samples: readonly Sample[],
  opts: { objective: number; now: Date },
): SloEvaluation {
  const budget = errorBudget(opts.objective);
  const burn = (r: WindowRatio) => (r.errorRatio === undefined ? undefined : r.errorRatio / budget);
  const windows = BURN_RATE_WINDOWS.map((w): BurnEvaluation => {
    const threshold = errorRatioThreshold(w, opts.objective);
    const long = windowRatio(samples, opts.now, w.longSeconds);
    const short = windowRatio(samples, opts.now, w.shortSeconds);
    const firing =
      long.errorRatio !== undefined &&
      short.errorRatio !== undefined &&
      long.errorRatio > threshold &&
      short.errorRatio > threshold;
    const lb = burn(long);
    const sb = burn(short);
    return {
      window: w,
      threshold,
      long,
      short,
      ...(lb === undefined ? {} : { longBurnRate: lb }),
      ...(sb === undefined ? {} : { shortBurnRate: sb }),
      firing,
    };
  });
  const availability = Object.fromEntries(
    AVAILABILITY_WINDOWS.map((w) => [w.id, windowRatio(samples, opts.now, w.seconds)]),
  ) as SloEvaluation['availability'];
  const month = availability['30d'];
  const firing = windows.filter((w) => w.firing).map((w) => w.window);
  const severity = firing.some((w) => w.severity === 'page')
    ? 'page'
    : firing.length > 0
      ? 'ticket'
      : undefined;
  return {
    objective: opts.objective,
    errorBudget: budget,
    now: opts.now,
    availability,
    ...(month.errorRatio === undefined ? {} : { budgetRemaining: 1 - month.errorRatio / budget }),
    windows,
    ...(severity ? { severity } : {}),
    firing,
  };
}

/** `0.99512` → `99.51%`; undefined → `no data`. Truncates, so 99.4999 never reads as meeting 99.5. */
export function formatAvailability(ratio: number | undefined): string {
  if (ratio === undefined) return 'no data';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}
