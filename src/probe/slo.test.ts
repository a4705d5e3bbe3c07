import { describe, expect, it } from 'vitest';
import { BURN_RATE_WINDOWS, errorBudget, errorRatioThreshold, LONGEST_WINDOW_SECONDS } from './burn-rate.js';
import {
  evaluateSlo,
  formatAvailability,
  MIN_FAILED_TO_FIRE,
  requestRate,
  type Sample,
  windowRatio,
} from './slo.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const MIN = 60_000;

/**
 * A recorded series: one probe per minute for `minutes` minutes ending at NOW; `failed(m)` says whether the
 * probe m minutes before NOW failed (m = 0 is the newest).
 */
function series(minutes: number, failed: (minutesAgo: number) => boolean): Sample[] {
  const out: Sample[] = [];
  for (let m = minutes - 1; m >= 0; m--) out.push({ at: new Date(NOW.getTime() - m * MIN), ok: !failed(m) });
  return out;
}

describe('burn-rate constants', () => {
  it('are the SRE workbook pairs for a 30-day period', () => {
    expect(BURN_RATE_WINDOWS.map((w) => [w.id, w.factor, w.severity])).toEqual([
      ['1h-5m', 14.4, 'page'],
      ['6h-30m', 6, 'page'],
      ['1d-2h', 3, 'ticket'],
      ['3d-6h', 1, 'ticket'],
    ]);
    expect(BURN_RATE_WINDOWS.map((w) => w.budgetSpent)).toEqual([0.02, 0.05, 0.1, 0.1]);
    expect(LONGEST_WINDOW_SECONDS).toBe(3 * 86_400);
  });

  // That the generated PrometheusRules fire on exactly these windows is tested on the emitted rules, in
  // src/compiler/emitters/kubernetes/monitoring.test.ts (the emitter imports these constants, no copy).

  it('turn 99.5% into a 0.5% budget and error-ratio thresholds of 7.2%, 3%, 1.5% and 0.5%', () => {
    expect(errorBudget(99.5)).toBe(0.005);
    expect(errorBudget(99.9)).toBe(0.001);
    expect(BURN_RATE_WINDOWS.map((w) => errorRatioThreshold(w, 99.5))).toEqual([0.072, 0.03, 0.015, 0.005]);
  });
});

describe('windowRatio', () => {
  it('counts samples in (now − window, now]: the start is excluded, now included', () => {
    const samples: Sample[] = [
      { at: new Date(NOW.getTime() - 60 * MIN), ok: false }, // exactly one hour ago: outside the 1h window
      { at: new Date(NOW.getTime() - 59 * MIN), ok: false },
      { at: NOW, ok: true },
      { at: new Date(NOW.getTime() + MIN), ok: false }, // in the future: ignored
    ];
    // Rate: 2 requests after the first round over 60 minutes → 1/30 min → 2 expected per hour.
    expect(windowRatio(samples, NOW, 3600)).toEqual({
      total: 2,
      failed: 1,
      expected: 2,
      errorRatio: 0.5,
      availability: 0.5,
    });
  });

  it('has no ratio without samples', () => {
    expect(windowRatio([], NOW, 3600)).toEqual({ total: 0, failed: 0 });
  });

  it('weighs each sample by the requests it stands for', () => {
    const samples: Sample[] = [
      { at: new Date(NOW.getTime() - 2 * MIN), ok: true, weight: 50 },
      { at: new Date(NOW.getTime() - MIN), ok: true, weight: 99 },
      { at: NOW, ok: false, weight: 1 },
    ];
    // Rate: (99 + 1) requests in 120 s; 5 minutes expect 250; 1 failed → 0.4%.
    const w = windowRatio(samples, NOW, 300);
    expect(w).toMatchObject({ total: 150, failed: 1, expected: 250 });
    expect(w.errorRatio).toBeCloseTo(0.004, 12);
  });
});

describe('requestRate', () => {
  it('is undefined until a second round, then requests per second after the first round', () => {
    const round = (minutesAgo: number): Sample[] => [
      { at: new Date(NOW.getTime() - minutesAgo * MIN), ok: true },
      { at: new Date(NOW.getTime() - minutesAgo * MIN - 40), ok: true }, // a second target, 40 ms apart
    ];
    expect(requestRate(round(0), NOW)).toBeUndefined();
    expect(requestRate([...round(2), ...round(1), ...round(0)], NOW)).toBeCloseTo(4 / 120, 3);
  });
});

describe('start-up and single failures (issue 13: "20000.0%" and pages in the first minute)', () => {
  it('the very first probe round failing: no rate yet, so no ratio, no budget figure, nothing fires', () => {
    const e = evaluateSlo([{ at: NOW, ok: false }], { objective: 99.5, now: NOW });
    expect(e.firing).toEqual([]);
    expect(e.budgetRemaining).toBeUndefined();
    expect(e.availability['1h']).toMatchObject({ total: 1, failed: 1, availability: 0 });
  });

  it('one failed probe a minute after start-up spends 0.46% of the 30-day budget, not 20000%', () => {
    const e = evaluateSlo(
      series(2, (m) => m === 0),
      { objective: 99.5, now: NOW },
    );
    // 1 request/min → 43 200 expected in 30 days; budget 0.5% = 216 requests; 1 failed = 1/216.
    expect(e.availability['30d'].expected).toBe(43_200);
    expect(1 - e.budgetRemaining!).toBeCloseTo(1 / 216, 12);
    // 1h: 1 of 60 expected = 1.67% < 7.2%.
    expect(e.windows[0]!.long.errorRatio).toBeCloseTo(1 / 60, 12);
    expect(e.firing).toEqual([]);
  });

  it('a real outage from start-up pages after five failed minutes, not after one', () => {
    // Down since start-up, 1 probe/min: the 1h window expects 60, so 5 failures = 8.3% > 7.2%.
    const after4 = evaluateSlo(
      series(4, () => true),
      { objective: 99.5, now: NOW },
    );
    expect(after4.windows[0]!.long.errorRatio).toBeCloseTo(4 / 60, 12);
    expect(after4.severity).toBeUndefined();
    const after5 = evaluateSlo(
      series(5, () => true),
      { objective: 99.5, now: NOW },
    );
    expect(after5.windows[0]!.long.errorRatio).toBeCloseTo(5 / 60, 12);
    expect(after5.severity).toBe('page');
  });

  it('one failure never pages, even when probes are 5 minutes apart (1 of 12 = 8.3% > 7.2%)', () => {
    const every5 = (failedAt: number[]): Sample[] =>
      Array.from({ length: 288 }, (_, i) => ({
        at: new Date(NOW.getTime() - (287 - i) * 5 * MIN),
        ok: !failedAt.includes(287 - i),
      }));
    const one = evaluateSlo(every5([0]), { objective: 99.5, now: NOW });
    expect(one.windows[0]!.long.errorRatio).toBeCloseTo(1 / 12, 9);
    expect(one.windows[0]!.short.errorRatio).toBe(1);
    expect(one.firing).toEqual([]);
    const two = evaluateSlo(every5([0, 1]), { objective: 99.5, now: NOW });
    expect(MIN_FAILED_TO_FIRE).toBe(2);
    expect(two.firing.map((w) => w.id)).toContain('1h-5m');
  });
});

describe('evaluateSlo on recorded series', () => {
  it('a healthy series: 100%, nothing fires, the whole budget left', () => {
    const e = evaluateSlo(
      series(3 * 24 * 60, () => false),
      { objective: 99.5, now: NOW },
    );
    expect(e.firing).toEqual([]);
    expect(e.severity).toBeUndefined();
    expect(e.availability['1h']).toMatchObject({ total: 60, failed: 0, availability: 1 });
    expect(e.budgetRemaining).toBe(1);
  });

  it('a hard outage in the last 10 minutes pages through the 1h/5m pair only', () => {
    const e = evaluateSlo(
      series(3 * 24 * 60, (m) => m < 10),
      { objective: 99.5, now: NOW },
    );
    // 1h: 10/60 = 16.7% > 7.2%; 5m: 100%. 6h: 10/360 = 2.8% < 3%, so 6h/30m stays quiet.
    expect(e.firing.map((w) => w.id)).toEqual(['1h-5m']);
    expect(e.severity).toBe('page');
    const fast = e.windows[0]!;
    expect(fast.long.errorRatio).toBeCloseTo(10 / 60, 10);
    expect(fast.longBurnRate).toBeCloseTo(10 / 60 / 0.005, 6);
    expect(fast.shortBurnRate).toBe(200);
  });

  it('after recovery the short window clears the fast pair while the 6h/30m pair still pages', () => {
    // Down from 60 to 21 minutes ago (40 probes), up for the last 20.
    const e = evaluateSlo(
      series(3 * 24 * 60, (m) => m >= 20 && m < 60),
      { objective: 99.5, now: NOW },
    );
    const byId = Object.fromEntries(e.windows.map((w) => [w.window.id, w]));
    expect(byId['1h-5m']!.long.errorRatio).toBeCloseTo(40 / 60, 10);
    expect(byId['1h-5m']!.short.errorRatio).toBe(0);
    expect(byId['1h-5m']!.firing).toBe(false);
    // 6h: 40/360 = 11% > 3%; 30m: 10/30 = 33% > 3%.
    expect(byId['6h-30m']!.firing).toBe(true);
    expect(e.severity).toBe('page');
  });

  it('a slow 2% error rate over three days opens a ticket, not a page', () => {
    const e = evaluateSlo(
      series(3 * 24 * 60, (m) => m % 50 === 0),
      { objective: 99.5, now: NOW },
    );
    expect(e.firing.map((w) => w.id)).toEqual(['1d-2h', '3d-6h']);
    expect(e.severity).toBe('ticket');
  });

  it('the same 2% error rate is within budget for a 95% objective', () => {
    const e = evaluateSlo(
      series(3 * 24 * 60, (m) => m % 50 === 0),
      { objective: 95, now: NOW },
    );
    expect(e.firing).toEqual([]);
  });

  it('an error ratio exactly at the threshold does not fire (PromQL `>`)', () => {
    // 125 probes 28.8 s apart cover the last hour exactly (125 expected); the 9 newest failed: 9/125 = 7.2%.
    // The 5m window (the 11 newest) is far above the threshold, so the long window alone decides.
    const samples: Sample[] = [];
    for (let i = 0; i < 125; i++) samples.push({ at: new Date(NOW.getTime() - i * 28_800), ok: i >= 9 });
    const e = evaluateSlo(samples, { objective: 99.5, now: NOW });
    expect(e.windows[0]!.long.expected).toBeCloseTo(125, 9);
    expect(e.windows[0]!.long.errorRatio).toBeCloseTo(0.072, 12);
    expect(e.windows[0]!.long.errorRatio! <= 0.072).toBe(true);
    expect(e.windows[0]!.firing).toBe(false);
    samples[20] = { at: samples[20]!.at, ok: false };
    expect(evaluateSlo(samples, { objective: 99.5, now: NOW }).windows[0]!.firing).toBe(true);
  });

  it('no data fires nothing and reports no availability', () => {
    const e = evaluateSlo([], { objective: 99.5, now: NOW });
    expect(e.firing).toEqual([]);
    expect(e.availability['30d'].availability).toBeUndefined();
    expect(e.budgetRemaining).toBeUndefined();
  });

  it('budget remaining over 30 days: 0.25% errors leave half of a 0.5% budget', () => {
    const e = evaluateSlo(
      series(30 * 24 * 60, (m) => m % 400 === 7),
      { objective: 99.5, now: NOW },
    );
    expect(e.availability['30d'].total).toBe(43_200);
    expect(e.availability['30d'].failed).toBe(108);
    expect(e.budgetRemaining).toBeCloseTo(0.5, 10);
  });
});

describe('formatAvailability', () => {
  it('truncates so a miss never rounds up to the objective', () => {
    expect(formatAvailability(0.994999)).toBe('99.49%');
    expect(formatAvailability(1)).toBe('100.00%');
    expect(formatAvailability(undefined)).toBe('no data');
  });
});
