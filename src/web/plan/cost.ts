/**
 * The plan page's cost section (issue 16): the plan's monthly delta, every changed resource with its
 * before/after/delta and what was priced, the budget and any price the catalogue lacks — read from the cost
 * the runner stored with the plan (`summary.cost`). Pure HTML from data.
 */
import { budgetNote, usd, usdDelta } from '../../cost/format.js';
import { isPlanCost, type PlanCost } from '../../cost/plan-cost.js';
import type { PlanSection } from '../deps.js';
import { type Html, html } from '../html.js';

export function costSectionBody(c: PlanCost): Html {
  const note = budgetNote(c);
  return html`<p data-testid="cost-delta"><strong>${usdDelta(c.delta)}</strong> (${usd(c.monthlyBefore)} → ${usd(c.monthlyAfter)} per month)</p>
${note ? html`<p class="${c.budget?.after === 'over' ? 'act-delete' : 'act-update'}" role="alert" data-testid="cost-budget">This change ${note}.</p>` : ''}
${
  c.resources.length
    ? html`<table><caption>Monthly cost by resource</caption><thead><tr><th scope="col">resource</th><th scope="col">before</th><th scope="col">after</th><th scope="col">change</th><th scope="col">priced</th></tr></thead><tbody>${c.resources.map(
        (r) =>
          html`<tr><td><code>${r.address}</code></td><td>${usd(r.before)}</td><td>${usd(r.after)}</td><td>${usdDelta(r.delta)}</td><td>${r.parts.map((p) => p.name).join('; ')}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No change to anything Linode bills.</p>`
}
${c.unknown.length ? html`<p class="act-update">No price for ${c.unknown.map((u) => u.priceKey).join(', ')}: not counted.</p>` : ''}
<p class="muted">Prices of ${c.catalogue.date} (${c.catalogue.source}); USD per month, before tax${c.catalogue.stale ? '; the catalogue is older than 90 days' : ''}.</p>`;
}

export const costSection: PlanSection = {
  id: 'cost',
  title: 'Monthly cost',
  async render(plan) {
    const cost = (plan.summary as { cost?: unknown }).cost;
    return isPlanCost(cost) ? costSectionBody(cost) : undefined;
  },
};
