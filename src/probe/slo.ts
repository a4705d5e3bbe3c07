/**
 * SLO arithmetic over recorded probe results. Pure: the caller passes the samples and `now`.
 *
 * Request-weighted: every probe result is one request (or `weight` requests). The error budget is a share
 * of the requests a whole window is expected to carry, not of the few that happen to be recorded, so
 * missing data is not an outage and a young series cannot spend 200× its budget on one failure:
 *
 * - request rate r = requests after the oldest round / time from the oldest to the newest sample;
 * - expected requests in a window W: E(W) = r × W (at least the requests observed in W);
 * - error ratio over W = failed requests in W / E(W); burn rate = error ratio / budget;
 * - budget spent (30d) = failed requests in 30 d / (budget × E(30 d)).
 *
 * A window pair fires when both its windows' error ratios exceed factor × budget (PromQL's `>`) AND the
 * long window holds at least MIN_FAILED_TO_FIRE failed requests — the SRE workbook's guard for low traffic:
 * one failed probe never pages, whatever the probe interval. Until a series has two rounds there is no
 * rate, hence no ratio: nothing fires in the first minutes after start-up.
 */
import { BURN_RATE_WINDOWS, type BurnRateWindow, errorBudget, errorRatioThreshold } from './burn-rate.js';

export interface Sample {
  at: Date;
  ok: boolean;
  /** Requests this sample stands for (default 1). */
  weight?: number;
}

/** A pair never fires on fewer failed requests in its long window than this. */
export const MIN_FAILED_TO_FIRE = 2;

/** Samples within this of the oldest one belong to the first round (targets are probed concurrently). */
const ROUND_MS = 1000;

const weightOf = (s: Sample) => s.weight ?? 1;

/**
 * Requests per second, from the oldest to the newest sample (the first round's requests happened at the
 * start of that span, so they are not counted in it). Undefined with fewer than two rounds.
 */
export function requestRate(samples: readonly Sample[], now: Date): number | undefined {
  const past = samples.filter((s) => s.at.getTime() <= now.getTime());
  if (past.length === 0) return undefined;
  const times = past.map((s) => s.at.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  if (last - first < ROUND_MS) return undefined;
  let requests = 0;
  for (const s of past) if (s.at.getTime() - first >= ROUND_MS) requests += weightOf(s);
  return requests / ((last - first) / 1000);
}

export interface WindowRatio {
  /** Requests recorded in the window. */
  total: number;
  failed: number;
  /** Requests the window is expected to carry at the series' rate (≥ total); undefined without a rate. */
  expected?: number;
  /** failed / expected; undefined without a rate. */
  errorRatio?: number;
  /** Observed: 1 − failed / total, as a ratio (0.995); undefined without samples. */
  availability?: number;
}

/** The rolling windows `envc probe` reports availability over. */
export const AVAILABILITY_WINDOWS = [
  { id: '1h', seconds: 3600 },
  { id: '1d', seconds: 86_400 },
  { id: '7d', seconds: 7 * 86_400 },
  { id: '30d', seconds: 30 * 86_400 },
] as const;

/** Requests in (now − seconds, now], and the error ratio against the requests expected at `rate`. */
export function windowRatio(
  samples: readonly Sample[],
  now: Date,
  seconds: number,
  rate: number | undefined = requestRate(samples, now),
): WindowRatio {
  const end = now.getTime();
  const start = end - seconds * 1000;
  let total = 0;
  let failed = 0;
  for (const s of samples) {
    const t = s.at.getTime();
    if (t > start && t <= end) {
      total += weightOf(s);
      if (!s.ok) failed += weightOf(s);
    }
  }
  const out: WindowRatio = { total, failed };
  if (total > 0) out.availability = 1 - failed / total;
  if (rate !== undefined) {
    const expected = Math.max(total, rate * seconds);
    out.expected = expected;
    out.errorRatio = failed / expected;
  }
  return out;
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
  /** Share of the 30-day budget left (1 = untouched, < 0 = overspent); undefined without a request rate. */
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
  const rate = requestRate(samples, opts.now);
  const burn = (r: WindowRatio) => (r.errorRatio === undefined ? undefined : r.errorRatio / budget);
  const windows = BURN_RATE_WINDOWS.map((w): BurnEvaluation => {
    const threshold = errorRatioThreshold(w, opts.objective);
    const long = windowRatio(samples, opts.now, w.longSeconds, rate);
    const short = windowRatio(samples, opts.now, w.shortSeconds, rate);
    const firing =
      long.failed >= MIN_FAILED_TO_FIRE &&
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
    AVAILABILITY_WINDOWS.map((w) => [w.id, windowRatio(samples, opts.now, w.seconds, rate)]),
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
