import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../test/support/slack/block-kit.js';
import { type PriceCatalogue, parseCatalogue } from '../../cost/catalogue.js';
import { planCost } from '../../cost/plan-cost.js';
import { planView } from '../plan-view.js';
import { approvalMessage } from './approval.js';
import { costBlocks } from './cost.js';
import { planResultMessage } from './plan.js';

const parsed = parseCatalogue(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/prices/catalogue.json', import.meta.url), 'utf8')),
);
if (!('catalogue' in parsed)) throw new Error(parsed.error);
const CAT: PriceCatalogue = parsed.catalogue;

const cluster = (gpu: number) => ({
  region: 'us-ord',
  control_plane: [{ high_availability: true }],
  pool: [
    { label: 'general', type: 'g6-dedicated-8', count: 4 },
    { label: 'gpu', type: 'g2-gpu-rtx4000a1-s', count: gpu },
  ],
});
const gpuScale = (budget?: number) =>
  planCost(
    [
      {
        address: 'module.cluster.linode_lke_cluster.this',
        type: 'linode_lke_cluster',
        change: { actions: ['update'], before: cluster(1), after: cluster(4) },
      },
    ],
    CAT,
    { today: '2026-12-02', ...(budget ? { budget } : {}) },
  );
const text = (blocks: unknown[]) => JSON.stringify(blocks);

function approval(cost: unknown) {
  const p = planView('production', 'b'.repeat(64), {
    counts: { add: 0, change: 1, destroy: 0, replace: 0 },
    resources: [{ address: 'module.cluster.linode_lke_cluster.this', action: 'update' }],
    cost,
  });
  return approvalMessage({
    plan: p,
    requester: 'U0REQUEST1',
    expiresAt: new Date('2026-12-02T18:00:00Z'),
    minApprovals: 1,
    approvals: [],
    status: 'pending',
  });
}

describe('cost blocks in approval messages', () => {
  it('show the monthly delta and the resource behind it', () => {
    const m = approval(gpuScale());
    const r = checkMessage({ text: m.text, blocks: m.blocks });
    expect(r.errors).toEqual([]);
    const t = text(m.blocks);
    expect(t).toContain('*Monthly cost:* `+$1,050.00/mo`  ($986.00 → $2,036.00 per month)');
    expect(t).toContain(
      '`module.cluster.linode_lke_cluster.this` — HA control plane; pool general: 4 × g6-dedicated-8; pool gpu: 4 × g2-gpu-rtx4000a1-s',
    );
    expect(t).not.toContain('budget');
  });

  it('flag a change that crosses the budget', () => {
    const t = text(approval(gpuScale(2000)).blocks);
    expect(t).toContain(':rotating_light: *This change crosses the budget: $2,036.00 of $2,000.00 (102%)*');
    // Already over before the change: said, but not as a crossing.
    expect(text(costBlocks(gpuScale(900)))).toContain('stays over the budget');
  });

  it('also ride on the plan result posted in the thread', () => {
    const p = planView('production', 'c'.repeat(64), {
      counts: { add: 0, change: 1, destroy: 0 },
      cost: gpuScale(),
    });
    const m = planResultMessage(p, 'U0REQUEST1');
    expect(checkMessage({ text: m.text, blocks: m.blocks }).errors).toEqual([]);
    expect(text(m.blocks)).toContain('*Monthly cost:* `+$1,050.00/mo`');
  });

  it('leave out a cost the runner did not store (older plans) or could not read', () => {
    expect(text(approval(undefined).blocks)).not.toContain('Monthly cost');
    expect(text(approval({ delta: 'a lot' }).blocks)).not.toContain('Monthly cost');
  });
});
