/** Money and cost lines as text, for the terminal, PR comments and Slack. Pure. */
import type { PlanCost } from './plan-cost.js';
import type { EnvironmentCost } from './types.js';

const fmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `$1,447.40` */
export function usd(n: number): string {
  return `${n < 0 ? '-' : ''}$${fmt.format(Math.abs(n))}`;
}

/** `+$700.00/mo`, `-$60.00/mo`, `±$0.00/mo` */
export function usdDelta(n: number): string {
  if (n === 0) return '±$0.00/mo';
  return `${n > 0 ? '+' : '-'}$${fmt.format(Math.abs(n))}/mo`;
}

export function rangeText(e: Pick<EnvironmentCost, 'monthly' | 'range'>): string {
  return e.range.min === e.range.max ? '' : ` (autoscaling ${usd(e.range.min)}–${usd(e.range.max)})`;
}

/** One line: `production: +$700.00/mo ($1,447.40 → $2,147.40)`. */
export function planCostLine(env: string, c: PlanCost): string {
  return `${env}: ${usdDelta(c.delta)} (${usd(c.monthlyBefore)} → ${usd(c.monthlyAfter)} per month)`;
}

/** The top `n` changed resources as `  +$700.00/mo  address  (what)` lines. */
export function topResourceLines(c: PlanCost, n = 5): string[] {
  return c.resources.slice(0, n).map((r) => {
    const what = r.parts.map((p) => p.name).join('; ');
    return `${usdDelta(r.delta).padStart(14)}  ${r.address}${what ? `  (${what})` : ''}`;
  });
}

/** Budget words for a plan: undefined when no budget, or the change stays under 90% of it. */
export function budgetNote(c: PlanCost): string | undefined {
  const b = c.budget;
  if (!b) return undefined;
  const pct = Math.round((c.monthlyAfter / b.monthly) * 100);
  if (b.after === 'over')
    return `${b.crosses ? 'crosses' : 'stays over'} the budget: ${usd(c.monthlyAfter)} of ${usd(b.monthly)} (${pct}%)`;
  if (b.after === 'warn')
    return `${b.crosses ? 'goes above' : 'stays above'} 90% of the budget: ${usd(c.monthlyAfter)} of ${usd(b.monthly)} (${pct}%)`;
  return undefined;
}
