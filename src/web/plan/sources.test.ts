/**
 * The plan page's `terraform show -json` (real terraform, test/fixtures/stacks/phased): a two-root plan shows
 * its planned roots merged, and views that arrive together (the link's warm-up and the first click) share one
 * `show`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from '../../runner/apply.js';
import { planEnv } from '../../runner/plan.js';
import type { Terraform } from '../../runner/terraform.js';
import { type Harness, harness, terraformSkipReason } from '../../runner/test-harness.js';
import { planDetailSource } from './sources.js';

const skip = terraformSkipReason();

describe.skipIf(skip)('plan page detail', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(['phased']);
  });
  afterAll(async () => h?.close());

  const counting = (t: Terraform) => {
    const calls = { show: 0 };
    const wrapped: Terraform = {
      ...t,
      run: (args, o) => {
        if (args[0] === 'show') calls.show++;
        return t.run(args, o);
      },
    };
    return { wrapped, calls };
  };

  it('shows the planned roots of a two-root plan, once for views that arrive together', async () => {
    const deps = h.deps('cli:ops');
    const planned = await planEnv(deps, 'phased');
    if (planned.status !== 'ok') throw new Error(planned.status);
    const { wrapped, calls } = counting(deps.terraform);
    const detail = planDetailSource(wrapped);
    const [a, b] = await Promise.all([detail(planned.value.record), detail(planned.value.record)]);
    expect(a).toBe(b);
    expect(calls.show).toBe(1);
    // The platform root waits for the cluster (deferred): only the cluster root has a plan yet.
    expect(a!.resource_changes!.map((r) => r.address)).toEqual(['terraform_data.cluster']);

    expect((await applyEnv(deps, 'phased')).status).toBe('ok');
    const platform = join(h.stacksDir, 'phased', 'platform', 'main.tf');
    writeFileSync(
      platform,
      readFileSync(platform, 'utf8').replace(
        'replicas = var.cluster.nodes',
        'replicas = var.cluster.nodes + 1',
      ),
    );
    const both = await planEnv(deps, 'phased');
    if (both.status !== 'ok') throw new Error(both.status);
    const merged = await detail(both.value.record);
    expect(merged!.resource_changes!.map((r) => [r.address, r.change.actions])).toEqual([
      ['terraform_data.cluster', ['no-op']],
      ['terraform_data.release', ['update']],
    ]);
    expect(calls.show).toBe(3);
  });
});
