import { catalogueAgeDays, STALE_AFTER_DAYS } from '../../cost/catalogue.js';
import { usd } from '../../cost/format.js';
import { environmentCost } from '../../cost/spec-cost.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * An environment with a `budget` must cost less than it: a warning above 90%, an error above 100%. The cost is
 * the spec's (`envc cost`), at the pool counts the spec sets; prices come from the catalogue in use.
 */
export const budget: Rule = {
  code: 'ENVC2025',
  name: 'budget',
  title: "an environment's monthly cost stays within its budget",
  severity: 'error',
  check(model, ctx) {
    const findings: Finding[] = [];
    const withBudget = model.environments.filter((e) => e.budget);
    if (withBudget.length === 0) return findings;
    const cat = ctx.prices?.();
    if (!cat) return findings;
    for (const env of withBudget) {
      const b = env.budget!;
      const cost = environmentCost(model, env, cat);
      const pct = Math.round((cost.monthly / b.monthly) * 100);
      if (cost.monthly <= 0.9 * b.monthly) continue;
      const unknown = cost.unknown.length
        ? ` (${cost.unknown.length} price${cost.unknown.length === 1 ? '' : 's'} unknown: ${cost.unknown.map((u) => u.priceKey).join(', ')})`
        : '';
      const top = [...cost.items]
        .sort((x, y) => y.monthly - x.monthly)
        .slice(0, 2)
        .map((i) => `${i.name} ${usd(i.monthly)}`)
        .join(', ');
      const over = cost.monthly > b.monthly;
      findings.push({
        origin: b.origin,
        severity: over ? 'error' : 'warning',
        message: `environment ${q(env.name)} costs ${usd(cost.monthly)} a month${unknown}, ${over ? 'over' : 'above 90% of'} its budget of ${usd(b.monthly)} (${pct}%)`,
        hint: `largest: ${top}; see \`envc cost --env ${env.name}\`. Lower pool counts or plans, or raise \`environments.${env.name}.budget.monthly\` (prices of ${cat.date}${catalogueAgeDays(cat, ctx.today) > STALE_AFTER_DAYS ? ', older than 90 days: run `envc prices update`' : ''})`,
      });
    }
    return findings;
  },
};
