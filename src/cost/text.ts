/** `envc cost` as text: one block per environment, items largest first, then the total. Pure. */
import { budgetNote, rangeText, topResourceLines, usd, usdDelta } from './format.js';
import type { PlanCost } from './plan-cost.js';
import type { SpecCost } from './types.js';

/** The subset of the CLI's Style this needs (the cost service owns no front-end types). */
export interface TextStyle {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

const plain: TextStyle = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s };

export function costText(cost: SpecCost, where: string, s: TextStyle = plain): string {
  const lines: string[] = [];
  for (const e of cost.environments) {
    let budget = '';
    if (e.budget) {
      const pct = Math.round((e.monthly / e.budget.monthly) * 100);
      const text = `budget ${usd(e.budget.monthly)} (${pct}%)`;
      budget = `  ${pct > 100 ? s.red(`${text} OVER`) : pct > 90 ? s.yellow(text) : text}`;
    }
    lines.push(`${s.bold(e.env)} (${e.region})  ${s.bold(`${usd(e.monthly)}/mo`)}${rangeText(e)}${budget}`);
    const items = [...e.items].sort((a, b) => b.monthly - a.monthly || a.name.localeCompare(b.name));
    for (const i of items) {
      const unit =
        i.unitMonthly === undefined
          ? s.red('no price in the catalogue')
          : i.quantity === 1
            ? ''
            : s.dim(`${i.quantity} × ${usd(i.unitMonthly)}${i.regional ? ` (${e.region} price)` : ''}`);
      lines.push(`  ${usd(i.monthly).padStart(11)}  ${i.name}${unit ? `  ${unit}` : ''}`);
    }
    for (const u of e.unknown) lines.push(s.red(`  unknown price: ${u.name} (${u.priceKey} in ${u.region})`));
  }
  const t = cost.totalRange;
  lines.push(
    `${s.bold('total')}  ${s.bold(`${usd(cost.total)}/mo`)}${t.min === t.max ? '' : ` (autoscaling ${usd(t.min)}–${usd(t.max)})`}`,
  );
  lines.push(
    s.dim(`prices of ${cost.catalogue.date} (${where}); USD, before tax; transfer overage not included`),
  );
  return `${lines.join('\n')}\n`;
}

/** Under a plan's summary: the monthly delta, its top resources, the budget and any unknown price. */
export function planCostText(c: PlanCost, s: TextStyle = plain, top = 5): string {
  const lines = [
    `  cost: ${s.bold(usdDelta(c.delta))} (${usd(c.monthlyBefore)} → ${usd(c.monthlyAfter)} per month, prices of ${c.catalogue.date})`,
  ];
  for (const l of topResourceLines(c, top)) lines.push(`  ${l}`);
  if (c.resources.length > top) lines.push(s.dim(`    … and ${c.resources.length - top} more`));
  const b = budgetNote(c);
  if (b) lines.push(c.budget?.after === 'over' ? s.red(`  ! ${b}`) : s.yellow(`  ! ${b}`));
  for (const u of c.unknown) lines.push(s.red(`  unknown price: ${u.name} (${u.priceKey})`));
  return `${lines.join('\n')}\n`;
}
