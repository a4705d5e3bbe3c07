/**
 * What an apply leaves in the store and under `.envc/`, with the real terraform binary on fixture stacks:
 * the approval request's lifecycle (approved → applying while terraform runs → applied or failed, recorded
 * before the events go out), the revision recorded with the plan, and the pruning of old plans afterwards.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './apply.js';
import { approve } from './approvals.js';
import type { RunnerDeps } from './context.js';
import type { Notifier } from './events.js';
import { planEnv } from './plan.js';
import type { Terraform } from './terraform.js';
import { type Harness, harness, policy, terraformSkipReason } from './test-harness.js';

const skip = terraformSkipReason();
const REVISION = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';

describe.skipIf(skip)('apply: approval lifecycle, revision and retention', () => {
  let h: Harness;
  /** The request's status whenever terraform apply starts and whenever an event goes out. */
  let seen: string[];

  beforeAll(async () => {
    h = await harness(['production', 'development']);
    h.policies.production = policy('production', { required: true, approvers: ['UADMIN', 'UADMIN2'] });
  });
  afterAll(async () => h?.close());

  function deps(actor: string, over: Partial<RunnerDeps> = {}): RunnerDeps {
    const base = h.deps(actor, { revision: async () => REVISION, ...over });
    const status = async () => {
      const plan = await h.store.latestPlan('production');
      return plan ? String((await h.store.getApprovalRequest('production', plan.digest))?.status) : 'none';
    };
    const terraform: Terraform = {
      bin: base.terraform.bin,
      version: () => base.terraform.version(),
      run: async (args, o) => {
        if (args[0] === 'apply') seen.push(`terraform apply: ${await status()}`);
        return base.terraform.run(args, o);
      },
    };
    const notifier: Notifier = {
      name: 'watch',
      notify: async (e) => {
        if (e.type === 'applied' || e.type === 'failed') seen.push(`${e.type} event: ${await status()}`);
        await base.notifier.notify(e);
      },
    };
    return { ...base, terraform, notifier };
  }

  const approveAs = (approver: string, digest: string) =>
    approve(
      {
        store: h.store,
        policy: (e) => h.policies[e],
        isApprover: h.deps('x').isApprover,
        now: () => new Date(),
      },
      { env: 'production', digest, approver, via: 'slack' },
    );

  it('records the revision; approved → applying while terraform runs → applied, before the event', async () => {
    seen = [];
    const planned = await planEnv(deps('UREQ'), 'production');
    if (planned.status !== 'ok') throw new Error(JSON.stringify(planned));
    const digest = planned.value.digest;
    expect(planned.value.revision).toBe(REVISION);
    expect((await h.store.getPlanByDigest('production', digest))?.revision).toBe(REVISION);

    expect((await applyEnv(deps('UREQ'), 'production')).status).toBe('awaiting-approval');
    expect((await h.store.getApprovalRequest('production', digest))?.status).toBe('pending');
    const approved = await approveAs('UADMIN', digest);
    expect(approved).toMatchObject({ ok: true, request: { status: 'approved' } });

    const r = await applyEnv(deps('UREQ'), 'production');
    expect(r).toMatchObject({ status: 'ok', value: { approvedBy: ['UADMIN'] } });
    expect(seen).toEqual(['terraform apply: applying', 'applied event: applied']);
    const request = await h.store.getApprovalRequest('production', digest);
    expect(request).toMatchObject({ status: 'applied', appliedBy: 'UREQ' });
    expect(request?.finishedAt).toBeInstanceOf(Date);
    expect(request?.error).toBeUndefined();
  });

  it('a failing terraform apply records `failed` with the error, uses the approvals, and prunes nothing', async () => {
    seen = [];
    const stack = join(h.stacksDir, 'production');
    writeFileSync(
      join(stack, 'boom.tf'),
      'resource "terraform_data" "boom" {\n  provisioner "local-exec" {\n    command = "echo disk full >&2; exit 3"\n  }\n}\n',
    );
    const planned = await planEnv(deps('UREQ'), 'production');
    if (planned.status !== 'ok') throw new Error(JSON.stringify(planned));
    const digest = planned.value.digest;
    expect((await applyEnv(deps('UREQ'), 'production')).status).toBe('awaiting-approval');
    expect((await approveAs('UADMIN2', digest)).ok).toBe(true);
    const plansDir = join(h.root, '.envc', 'plans', 'production');
    const before = readdirSync(plansDir).sort();
    expect(before.length).toBeGreaterThanOrEqual(2);

    const r = await applyEnv(deps('UREQ', { retention: { keep: 1 } }), 'production');
    expect(r.status).toBe('failed');
    expect(seen).toEqual(['terraform apply: applying', 'failed event: failed']);
    const request = await h.store.getApprovalRequest('production', digest);
    expect(request).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('terraform apply exited 1: Error: local-exec provisioner error'),
    });
    expect((await h.store.getPlanByDigest('production', digest))?.appliedAt).toBeUndefined();
    expect((await h.store.listApprovals('production', digest)).map((a) => a.used)).toEqual([true]);
    expect(readdirSync(plansDir).sort()).toEqual(before);
    rmSync(join(stack, 'boom.tf'));
  });

  it('after a successful apply keeps the newest plans and rollback trees of the environment only', async () => {
    const d = deps('ci', { retention: { keep: 1 } });
    const stack = join(h.stacksDir, 'development');
    const digests: string[] = [];
    for (const n of [1, 2, 3]) {
      writeFileSync(join(stack, 'extra.tf'), `resource "terraform_data" "extra" {\n  input = ${n}\n}\n`);
      const p = await planEnv(d, 'development');
      if (p.status !== 'ok') throw new Error(JSON.stringify(p));
      digests.push(p.value.digest);
    }
    const rollback = join(h.root, '.envc', 'rollback');
    const newTree = join(rollback, 'development-0123456789ab-a1b2c3');
    const oldTree = join(rollback, 'development-ba9876543210-c3b2a1');
    const otherEnv = join(rollback, 'development-eu-0123456789ab-a1b2c3');
    for (const t of [newTree, oldTree, otherEnv]) mkdirSync(join(t, 'generated'), { recursive: true });
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(oldTree, anHourAgo, anHourAgo);
    utimesSync(otherEnv, anHourAgo, anHourAgo);
    const plansDir = join(h.root, '.envc', 'plans', 'development');
    expect(readdirSync(plansDir).filter((f) => !f.startsWith('.'))).toHaveLength(3);

    expect((await applyEnv(d, 'development')).status).toBe('ok');
    expect(readdirSync(plansDir).filter((f) => !f.startsWith('.'))).toEqual([`${digests[2]}.tfplan`]);
    // The newest tree is kept (keep = 1), the older one removed; another environment's tree is not ours.
    expect(existsSync(newTree)).toBe(true);
    expect(existsSync(oldTree)).toBe(false);
    expect(existsSync(otherEnv)).toBe(true);
    // Production's plans are another environment's: untouched by development's apply.
    expect(readdirSync(join(h.root, '.envc', 'plans', 'production')).length).toBeGreaterThanOrEqual(2);
  });
});
