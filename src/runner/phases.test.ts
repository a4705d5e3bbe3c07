/**
 * Two roots per environment planned, digested, approved and applied as one change (docs/adr/0009), with the
 * real terraform binary on a stand-in (test/fixtures/stacks/phased: terraform_data, local backends).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './apply.js';
import { driftEnv } from './drift.js';
import { planEnv, storedSummary } from './plan.js';
import { type Harness, harness, terraformSkipReason } from './test-harness.js';

const skip = terraformSkipReason();

describe.skipIf(skip)('phased environments (cluster, then platform)', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(['phased']);
  });
  afterAll(async () => h?.close());

  const state = (phase: string) => join(h.stacksDir, 'phased', phase, 'terraform.tfstate');

  it('on a fresh account plans the cluster, defers the platform, applies both in order as one change', async () => {
    const deps = h.deps('cli:ops');
    const planned = await planEnv(deps, 'phased');
    expect(planned.status).toBe('ok');
    if (planned.status !== 'ok') return;
    const phases = storedSummary(planned.value.record).phases!;
    expect(phases.map((p) => [p.name, p.deferred])).toEqual([
      ['cluster', false],
      ['platform', true],
    ]);
    const applied = await applyEnv(deps, 'phased');
    expect(applied.status).toBe('ok');
    // The platform root got the cluster root's output as TF_VAR_cluster: its state holds the cluster id.
    const cluster = JSON.parse(readFileSync(state('cluster'), 'utf8'));
    const platform = JSON.parse(readFileSync(state('platform'), 'utf8'));
    const id = cluster.resources[0].instances[0].attributes.id;
    expect(platform.resources[0].instances[0].attributes.input.value.cluster).toBe(id);
  });

  it('with the cluster unchanged, plans both roots; a platform-only change is one digest, then no changes', async () => {
    const deps = h.deps('cli:ops');
    const again = await planEnv(deps, 'phased');
    expect(again.status === 'ok' && again.value.summary.hasChanges).toBe(false);
    if (again.status !== 'ok') return;
    expect(storedSummary(again.value.record).phases!.every((p) => !p.deferred)).toBe(true);
  });

  it('a changed deferred root configuration changes the digest (the approval covers it)', async () => {
    const deps = h.deps('cli:ops');
    const tf = join(h.stacksDir, 'phased', 'cluster', 'main.tf');
    writeFileSync(tf, readFileSync(tf, 'utf8').replace('default = 3', 'default = 4'));
    const a = await planEnv(deps, 'phased');
    const pf = join(h.stacksDir, 'phased', 'platform', 'main.tf');
    writeFileSync(pf, `${readFileSync(pf, 'utf8')}\n# changed\n`);
    const b = await planEnv(deps, 'phased');
    expect(a.status === 'ok' && b.status === 'ok').toBe(true);
    if (a.status !== 'ok' || b.status !== 'ok') return;
    expect(storedSummary(a.value.record).phases![1]!.deferred).toBe(true);
    expect(a.value.digest).not.toBe(b.value.digest);
    expect(existsSync(b.value.planPath)).toBe(true);
  });

  it('drift covers both roots, each named: a platform-root edit shows as platform/ unapplied', async () => {
    const deps = h.deps('cli:ops');
    // Bring both roots in line first (earlier tests left a cluster change planned).
    const p = await planEnv(deps, 'phased');
    expect(p.status).toBe('ok');
    expect((await applyEnv(deps, 'phased')).status).toBe('ok');
    const clean = await driftEnv(deps, 'phased');
    expect(clean.status === 'ok' && clean.value.drifted).toBe(false);
    const pf = join(h.stacksDir, 'phased', 'platform', 'main.tf');
    writeFileSync(pf, readFileSync(pf, 'utf8').replace('replicas = var.cluster.nodes', 'replicas = 7'));
    const d = await driftEnv(deps, 'phased');
    expect(d.status).toBe('ok');
    if (d.status !== 'ok') return;
    expect(d.value.unapplied).toEqual(['platform/terraform_data.release (update)']);
  });
});

describe.skipIf(skip)('a credential in an output another root reads', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(['phased']);
  });
  afterAll(async () => h?.close());

  it('stops the apply before the platform root gets it (the runner scans what crosses roots)', async () => {
    const tf = join(h.stacksDir, 'phased', 'cluster', 'main.tf');
    writeFileSync(
      tf,
      readFileSync(tf, 'utf8').replace(
        'value = { cluster_id = terraform_data.cluster.id, nodes = var.node_count }',
        'value = { cluster_id = terraform_data.cluster.id, nodes = var.node_count, token = "eyJhbGciOiJSUzI1NiJ9.cluster-admin" }',
      ),
    );
    const deps = h.deps('cli:ops');
    expect((await planEnv(deps, 'phased')).status).toBe('ok');
    const applied = await applyEnv(deps, 'phased');
    expect(applied.status).not.toBe('ok');
    expect(JSON.stringify(applied)).toContain(
      'the cluster root of phased output \\"published\\" (input cluster) looks like it carries a credential at $.token',
    );
    expect(JSON.stringify(applied)).not.toContain('cluster-admin');
    // The platform root never ran: no state, so nothing of the token reached it.
    expect(existsSync(join(h.stacksDir, 'phased', 'platform', 'terraform.tfstate'))).toBe(false);
  });
});
