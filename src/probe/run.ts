/**
 * The probe loop of one environment: GET every target, record each result in the store, then evaluate
 * the SLO over the recorded history. Used by `envc probe` and by the bot's scheduled probe job.
 */
import type { ProbeRecord, Store } from '../store/types.js';
import { LONGEST_WINDOW_SECONDS } from './burn-rate.js';
import type { HttpGet } from './http.js';
import { evaluateSlo, type SloEvaluation } from './slo.js';
import type { ProbeTarget, SkippedTarget } from './targets.js';

export interface ProbeDeps {
  store: Pick<Store, 'recordProbe' | 'probeSeries'>;
  http: HttpGet;
  /** Wall clock for `at` and the SLO windows. */
  now(): Date;
  /** Monotonic milliseconds for latency (performance.now). */
  monotonic(): number;
  timeoutMs: number;
}

export interface ProbeResult extends ProbeRecord {
  url: string;
}

export interface EnvironmentProbe {
  env: string;
  results: ProbeResult[];
  skipped: SkippedTarget[];
  slo: SloEvaluation;
}

/** A 2xx answer is up; anything else, a timeout or a refused connection is down. */
export async function probeTarget(t: ProbeTarget, deps: ProbeDeps): Promise<ProbeResult> {
  const at = deps.now();
  const start = deps.monotonic();
  try {
    const { status } = await deps.http(t.url, {
      timeoutMs: deps.timeoutMs,
      ...(t.ca ? { ca: t.ca } : {}),
      ...(t.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    });
    const latencyMs = Math.round(deps.monotonic() - start);
    const ok = status >= 200 && status < 300;
    return {
      env: t.env,
      target: t.target,
      url: t.url,
      ok,
      latencyMs,
      at,
      status,
      ...(ok ? {} : { error: `HTTP ${status}` }),
    };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      env: t.env,
      target: t.target,
      url: t.url,
      ok: false,
      latencyMs: Math.round(deps.monotonic() - start),
      at,
      error: e.code ?? e.message,
    };
  }
}

/**
 * Probes every target of one environment concurrently, records the results, and evaluates the SLO over
 * the stored series (which now includes this round). `days` of history bound the read: the burn-rate rule
 * needs 3 days; the 30-day availability figure needs 30.
 */
export async function probeEnvironment(
  env: string,
  targets: readonly ProbeTarget[],
  skipped: readonly SkippedTarget[],
  objective: number,
  deps: ProbeDeps,
  historySeconds: number = LONGEST_WINDOW_SECONDS,
): Promise<EnvironmentProbe> {
  const results = await Promise.all(targets.map((t) => probeTarget(t, deps)));
  for (const r of results) {
    const { url: _url, ...record } = r;
    await deps.store.recordProbe(record);
  }
  const now = deps.now();
  const series = await deps.store.probeSeries(env, new Date(now.getTime() - historySeconds * 1000));
  return { env, results, skipped: [...skipped], slo: evaluateSlo(series, { objective, now }) };
}
