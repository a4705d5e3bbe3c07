/**
 * `envc plan` prints the monthly cost delta of every environment from the plan's resource changes (real
 * terraform on the fixture stacks). The fixture roots hold only terraform_data resources — nothing Linode
 * bills — so the delta is 0 while the plan still has changes; the pricing itself is covered with worked
 * numbers in src/cost/plan-cost.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';

const skip = terraformSkipReason();

describe.skipIf(skip)('envc plan: cost of the change', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await workspace();
  });

  it('prints the delta per environment (JSON and text); a change to nothing Linode bills costs 0', {
    timeout: 240_000,
  }, async () => {
    const json = await ws.envc(['plan', '--env', 'production', '--stacks', 'stacks', '--json']);
    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout) as {
      environments: Array<{ counts: { add: number }; cost: Record<string, unknown> }>;
    };
    const prod = out.environments[0];
    expect(prod?.counts.add).toBe(3);
    expect(prod?.cost).toMatchObject({
      currency: 'USD',
      monthlyBefore: 0,
      monthlyAfter: 0,
      delta: 0,
      resources: [],
      unknown: [],
    });
    // The shipped snapshot (no envc-prices.json in the workspace) is named by its date.
    expect((prod?.cost.catalogue as { date: string }).date).toBe('2026-12-02');

    const text = await ws.envc(['plan', '--env', 'production', '--stacks', 'stacks']);
    expect(text.stdout).toMatch(
      /^ {2}cost: ±\$0\.00\/mo \(\$0\.00 → \$0\.00 per month, prices of 2026-12-02\)$/m,
    );
  });
});
