/**
 * The cost part of plan and approval messages: the plan's monthly delta, its largest resources, a loud line
 * when the change crosses the environment's budget, and any price the catalogue lacks. Pure Block Kit.
 */
import { budgetNote, usd, usdDelta } from '../../cost/format.js';
import type { PlanCost } from '../../cost/plan-cost.js';
import { type Block, context, esc, section, truncate } from './common.js';

export const TOP_COST_LINES = 3;

export function costBlocks(cost: PlanCost | undefined): Block[] {
  if (!cost) return [];
  const lines = [
    `*Monthly cost:* \`${usdDelta(cost.delta)}\`  (${usd(cost.monthlyBefore)} → ${usd(cost.monthlyAfter)} per month)`,
  ];
  for (const r of cost.resources.slice(0, TOP_COST_LINES)) {
    const what = r.parts.map((p) => p.name).join('; ');
    lines.push(
      `• \`${usdDelta(r.delta)}\` \`${esc(r.address)}\`${what ? ` — ${esc(truncate(what, 200))}` : ''}`,
    );
  }
  if (cost.resources.length > TOP_COST_LINES)
    lines.push(`… and ${cost.resources.length - TOP_COST_LINES} more`);
  const blocks: Block[] = [section(truncate(lines.join('\n'), 2900))];
  const note = budgetNote(cost);
  if (note) {
    const icon = cost.budget?.after === 'over' ? ':rotating_light:' : ':warning:';
    blocks.push(section(`${icon} *This change ${esc(note)}*`));
  }
  if (cost.unknown.length > 0) {
    blocks.push(
      section(
        truncate(
          `:grey_question: No price for ${cost.unknown.map((u) => `\`${esc(u.priceKey)}\``).join(', ')} — not counted`,
          2900,
        ),
      ),
    );
  }
  blocks.push(
    context(
      `Prices of ${esc(cost.catalogue.date)}; USD per month, before tax${cost.catalogue.stale ? ' — catalogue older than 90 days' : ''}`,
    ),
  );
  return blocks;
}
