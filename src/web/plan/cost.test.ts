import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PriceCatalogue, parseCatalogue } from '../../cost/catalogue.js';
import { planCost } from '../../cost/plan-cost.js';
import type { PlanRecord } from '../../store/types.js';
import { costSection } from './cost.js';
import { planPage } from './page.js';

const parsed = parseCatalogue(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/prices/catalogue.json', import.meta.url), 'utf8')),
);
if (!('catalogue' in parsed)) throw new Error(parsed.error);
const CAT: PriceCatalogue = parsed.catalogue;

const db = (type: string) => ({
  label: 'acme-production-pg<script>',
  region: 'us-ord',
  type,
  cluster_size: 3,
});
const resize = (budget?: number) =>
  planCost(
    [
      {
        address: 'module.data_services.linode_database_postgresql_v2.this[0]',
        type: 'linode_database_postgresql_v2',
        change: { actions: ['update'], before: db('g6-dedicated-4'), after: db('g6-dedicated-8') },
      },
    ],
    CAT,
    { today: '2026-12-02', ...(budget ? { budget } : {}) },
  );
const record = (summary: Record<string, unknown>): PlanRecord =>
  ({
    id: 'p1',
    env: 'production',
    digest: 'd'.repeat(64),
    summary: { counts: { add: 0, change: 1, destroy: 0 }, ...summary },
    planPath: '/tmp/x.tfplan',
    createdBy: 'U1',
    createdAt: new Date('2026-12-02T18:00:00Z'),
  }) as unknown as PlanRecord;

describe('plan page: cost section', () => {
  it('shows the delta, each resource before/after, escaped, and the budget crossing', async () => {
    const body = await costSection.render(
      record({ cost: JSON.parse(JSON.stringify(resize(800))) }),
      undefined,
    );
    const h = String(body);
    expect(h).toContain('<strong>+$408.00/mo</strong> ($408.00 → $816.00 per month)');
    expect(h).toContain(
      '<tr><td><code>module.data_services.linode_database_postgresql_v2.this[0]</code></td><td>$408.00</td><td>$816.00</td><td>+$408.00/mo</td><td>postgresql acme-production-pg&lt;script&gt;: 3 × g6-dedicated-8</td></tr>',
    );
    expect(h).toContain(
      'role="alert" data-testid="cost-budget">This change crosses the budget: $816.00 of $800.00 (102%).</p>',
    );
    expect(h).not.toContain('<script>');
  });

  it('is part of the page after the Helm section; absent when the plan has no stored cost', async () => {
    const body = await costSection.render(record({ cost: resize() }), undefined);
    const page = String(
      planPage({
        plan: record({ cost: resize() }),
        approvals: [],
        history: [],
        generated: [],
        sections: body ? [{ id: costSection.id, title: costSection.title, body }] : [],
        minApprovals: 1,
      }),
    );
    expect(page.indexOf('<h2 id="h-cost">Monthly cost</h2>')).toBeGreaterThan(page.indexOf('id="h-helm"'));
    expect(await costSection.render(record({}), undefined)).toBeUndefined();
    expect(await costSection.render(record({ cost: { delta: 'x' } }), undefined)).toBeUndefined();
  });
});
