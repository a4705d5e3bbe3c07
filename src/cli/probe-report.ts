/** Text and JSON renderings of probe rounds, for `envc probe`. Pure. */

import type { EnvironmentProbe } from '../probe/run.js';
import { AVAILABILITY_WINDOWS, formatAvailability } from '../probe/slo.js';
import type { Style } from './output.js';

export function renderProbeText(probes: readonly EnvironmentProbe[], s: Style): string {
  const out: string[] = [];
  for (const p of probes) {
    const up = p.results.filter((r) => r.ok).length;
    out.push(
      `${s.bold(p.env)}  ${up}/${p.results.length} up${p.skipped.length ? `, ${p.skipped.length} skipped` : ''}`,
    );
    for (const r of p.results) {
      const mark = r.ok ? s.green('up  ') : s.red('DOWN');
      out.push(
        `  ${mark} ${r.target.padEnd(28)} ${String(r.latencyMs).padStart(5)} ms  ${r.ok ? '' : `${r.error ?? ''}  `}${s.dim(r.url)}`,
      );
    }
    for (const k of p.skipped) out.push(`  ${s.yellow('skip')} ${k.target.padEnd(28)} ${k.reason}`);
    const av = AVAILABILITY_WINDOWS.map(
      (w) => `${w.id} ${formatAvailability(p.slo.availability[w.id].availability)}`,
    ).join('  ');
    out.push(`  availability (objective ${p.slo.objective}%): ${av}`);
    if (p.slo.budgetRemaining !== undefined) {
      // Spent share of the 30-day budget: above 100% the objective is already missed for the period.
      out.push(`  error budget spent (30d): ${((1 - p.slo.budgetRemaining) * 100).toFixed(1)}%`);
    }
    if (p.slo.severity) {
      const which = p.slo.firing.map((w) => `${w.long}/${w.short} > ${w.factor}×`).join(', ');
      const text = `error budget burning too fast (${p.slo.severity}): ${which}`;
      out.push(`  ${p.slo.severity === 'page' ? s.red(text) : s.yellow(text)}`);
    } else {
      out.push(`  burn rate: ${s.green('within budget')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Stable JSON for `--json`: dates as ISO strings, ratios as numbers. */
export function probeJson(probes: readonly EnvironmentProbe[]): unknown {
  return {
    environments: probes.map((p) => ({
      env: p.env,
      results: p.results.map((r) => ({
        target: r.target,
        url: r.url,
        ok: r.ok,
        status: r.status ?? null,
        error: r.error ?? null,
        latencyMs: r.latencyMs,
        at: r.at.toISOString(),
      })),
      skipped: p.skipped.map((k) => ({ target: k.target, reason: k.reason })),
      slo: {
        objective: p.slo.objective,
        errorBudget: p.slo.errorBudget,
        availability: Object.fromEntries(
          AVAILABILITY_WINDOWS.map((w) => {
            const r = p.slo.availability[w.id];
            return [w.id, { total: r.total, failed: r.failed, availability: r.availability ?? null }];
          }),
        ),
        budgetRemaining: p.slo.budgetRemaining ?? null,
        severity: p.slo.severity ?? null,
        windows: p.slo.windows.map((w) => ({
          id: w.window.id,
          factor: w.window.factor,
          severity: w.window.severity,
          threshold: w.threshold,
          longErrorRatio: w.long.errorRatio ?? null,
          shortErrorRatio: w.short.errorRatio ?? null,
          firing: w.firing,
        })),
      },
    })),
  };
}
