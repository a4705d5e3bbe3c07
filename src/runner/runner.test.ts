/**
 * The runner with the real terraform binary on fixture stacks (terraform_data + local backend): parallel
 * plans and applies, the approval gate's refusals, digest re-checks and serialized applies.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './apply.js';
import { approve } from './approvals.js';
import type { RunnerDeps } from './context.js';
import { mapLimit } from './parallel.js';
import { planEnv } from './plan.js';
import type { Terraform } from './terraform.js';
import { type Harness, harness, policy, terraformSkipReason } from './test-harness.js';

const skip = terraformSkipReason();
if (skip) console.warn(skip);

/** Counts terraform runs by subcommand and the most that ran at once. */
function counting(tf: Terraform) {
  const stats = {
    inFlight: 0,
    maxInFlight: 0,
    byCommand: {} as Record<string, number>,
    maxApplyInFlight: 0,
    applyInFlight: 0,
  };
  const wrapped: Terraform = {
    bin: tf.bin,
    version: () => tf.version(),
    run: async (args, o) => {
      const cmd = args[0] ?? '';
      stats.byCommand[cmd] = (stats.byCommand[cmd] ?? 0) + 1;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      if (cmd === 'apply') stats.maxApplyInFlight = Math.max(stats.maxApplyInFlight, ++stats.applyInFlight);
      try {
        return await tf.run(args, o);
      } finally {
        stats.inFlight--;
        if (cmd === 'apply') stats.applyInFlight--;
      }
    },
  };
  return { stats, wrapped };
}

function stateText(h: Harness, env: string): string {
  const p = join(h.stacksDir, env, 'terraform.tfstate');
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

function stateOf(
  h: Harness,
  env: string,
): { serial: number; lineage: string; resources: Array<{ type: string; name: string }> } {
  return JSON.parse(readFileSync(join(h.stacksDir, env, 'terraform.tfstate'), 'utf8'));
}

describe.skipIf(skip)('runner on fixture stacks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(['development', 'staging', 'production']);
    h.policies.production = policy('production', {
      required: true,
      approvers: ['@platform-leads', 'UADMIN'],
      minApprovals: 1,
    });
    h.groups['@platform-leads'] = ['ULEAD1', 'ULEAD2'];
  });
  afterAll(async () => h?.close());

  it('plans three environments in parallel and applies the ungated ones', async () => {
    const base = h.deps('ci:pipeline');
    const { stats, wrapped } = counting(base.terraform);
    const deps: RunnerDeps = { ...base, terraform: wrapped };
    const planned = await mapLimit(['development', 'staging', 'production'], 3, (env) => planEnv(deps, env));
    expect(planned.map((p) => p.status)).toEqual(['ok', 'ok', 'ok']);
    expect(stats.maxInFlight).toBeGreaterThan(1);
    const values = planned.map((p) => (p.status === 'ok' ? p.value : undefined)!);
    for (const v of values) {
      expect(v.summary.counts).toEqual({ add: 3, change: 0, destroy: 0, replace: 0 });
      expect(v.summary.resources.map((r) => r.address)).toEqual([
        'terraform_data.cluster',
        'terraform_data.dns_zone',
        'terraform_data.firewall',
      ]);
      expect(v.digest).toMatch(/^[0-9a-f]{64}$/);
      expect((await h.store.latestPlan(v.env))?.digest).toBe(v.digest);
    }
    expect(new Set(values.map((v) => v.digest)).size).toBe(3);
    expect(
      h.events
        .filter((e) => e.type === 'plan-ready')
        .map((e) => e.env)
        .sort(),
    ).toEqual(['development', 'production', 'staging']);

    const applied = await mapLimit(['development', 'staging'], 2, (env) => applyEnv(deps, env));
    expect(applied.map((a) => a.status)).toEqual(['ok', 'ok']);
    for (const env of ['development', 'staging']) {
      expect(
        stateOf(h, env)
          .resources.map((r) => r.name)
          .sort(),
      ).toEqual(['cluster', 'dns_zone', 'firewall']);
      expect((await h.store.latestPlan(env))?.appliedBy).toBe('ci:pipeline');
      // The lock is released after the apply.
      expect(await h.store.getLock(env)).toBeUndefined();
    }
    // Planning the same (now applied) change again is a no-change plan with a different digest.
    const again = await planEnv(deps, 'development');
    expect(again.status === 'ok' && again.value.summary.hasChanges).toBe(false);
  });

  it('the gate refuses missing, self, non-approver, expired and other-digest approvals, then applies with a valid one, then refuses reuse', async () => {
    const requester = h.deps('UREQ');
    const planned = await planEnv(requester, 'production');
    if (planned.status !== 'ok') throw new Error(JSON.stringify(planned));
    const digest = planned.value.digest;
    const before = stateText(h, 'production');

    const expectAwaiting = async (reason: RegExp) => {
      const r = await applyEnv(requester, 'production');
      expect(r.status).toBe('awaiting-approval');
      if (r.status !== 'awaiting-approval') return;
      expect(r.digest).toBe(digest);
      expect(r.approveCommand).toBe(
        `press Approve in Slack (or /infra approve production ${digest.slice(0, 12)}); from CI: envc approvals approve --env production --digest ${digest} with an OIDC token`,
      );
      expect(r.reasons.join('\n')).toMatch(reason);
      // Nothing was applied.
      expect(stateText(h, 'production')).toBe(before);
    };

    await expectAwaiting(/no valid approval yet \(1 needed\)/);
    expect(await h.store.getApprovalRequest('production', digest)).toMatchObject({
      status: 'pending',
      requester: 'UREQ',
    });
    expect(h.events.some((e) => e.type === 'awaiting-approval' && e.digest === digest)).toBe(true);

    const later = new Date(Date.now() + 3600_000);
    // Written straight into the store, as a buggy or malicious front end might: the gate must still refuse.
    await h.store.addApproval({
      env: 'production',
      digest,
      approver: 'UREQ',
      requester: 'UREQ',
      via: 'slack',
      expiresAt: later,
    });
    await expectAwaiting(/UREQ cannot approve a change they requested/);
    await h.store.addApproval({
      env: 'production',
      digest,
      approver: 'URANDOM',
      requester: 'UREQ',
      via: 'slack',
      expiresAt: later,
    });
    await expectAwaiting(/URANDOM is not an approver of production \(approvers: @platform-leads, UADMIN\)/);
    await h.store.addApproval({
      env: 'production',
      digest,
      approver: 'ULEAD1',
      requester: 'UREQ',
      via: 'slack',
      expiresAt: new Date(Date.now() - 1000),
    });
    await expectAwaiting(/ULEAD1's approval expired at/);
    await h.store.addApproval({
      env: 'production',
      digest: 'f'.repeat(64),
      approver: 'ULEAD2',
      requester: 'UREQ',
      via: 'slack',
      expiresAt: later,
    });
    await expectAwaiting(/ULEAD2 approved plan ffffffffffff, not this plan/);

    // The approve front end refuses the same mistakes up front.
    const approveDeps = {
      store: h.store,
      policy: requester.policy,
      isApprover: requester.isApprover,
      now: () => new Date(),
    };
    expect(
      await approve(approveDeps, { env: 'production', digest, approver: 'UREQ', via: 'slack' }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/cannot approve/),
    });
    expect(
      await approve(approveDeps, { env: 'production', digest, approver: 'UNOBODY', via: 'slack' }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an approver/),
    });
    const ok = await approve(approveDeps, {
      env: 'production',
      digest: digest.slice(0, 10),
      approver: 'ULEAD2',
      via: 'slack',
    });
    expect(ok.ok).toBe(true);

    const savedState = stateText(h, 'production');
    const applied = await applyEnv(requester, 'production');
    expect(applied).toMatchObject({
      status: 'ok',
      value: { digest, approvedBy: ['ULEAD2'], noChanges: false },
    });
    expect(stateOf(h, 'production').resources).toHaveLength(3);
    expect((await h.store.getApprovalRequest('production', digest))?.status).toBe('applied');
    expect(
      (await h.store.listAudit({ env: 'production', action: 'approval.consumed' }))[0]?.details,
    ).toMatchObject({ digest, approvers: ['ULEAD2'] });

    // Put the old state back and plan again: the same change, so the same digest — the used approval must not count twice.
    const statePath = join(h.stacksDir, 'production', 'terraform.tfstate');
    if (savedState === '') rmSync(statePath);
    else writeFileSync(statePath, savedState);
    const replanned = await planEnv(requester, 'production');
    expect(replanned.status === 'ok' && replanned.value.digest).toBe(digest);
    await expectAwaiting(/ULEAD2's approval of [0-9a-f]{12} was already used/);
  });

  it('--wait: an apply waiting for approval proceeds once an approver approves', async () => {
    writeFileSync(
      join(h.stacksDir, 'production', 'extra.tf'),
      'resource "terraform_data" "waited" {\n  input = "w"\n}\n',
    );
    const deps = h.deps('UREQ', { approvalWait: { waitMs: 60_000, pollMs: 50 } });
    const planned = await planEnv(deps, 'production');
    if (planned.status !== 'ok') throw new Error(JSON.stringify(planned));
    const statuses: string[] = [];
    const applying = applyEnv({ ...deps, progress: (_e, s) => statuses.push(s) }, 'production');
    // Approve once the apply has asked for it.
    for (let i = 0; i < 400 && !(await h.store.getApprovalRequest('production', planned.value.digest)); i++)
      await new Promise((r) => setTimeout(r, 25));
    const approveDeps = {
      store: h.store,
      policy: deps.policy,
      isApprover: deps.isApprover,
      now: () => new Date(),
    };
    expect(
      (
        await approve(approveDeps, {
          env: 'production',
          digest: planned.value.digest,
          approver: 'UADMIN',
          via: 'slack',
        })
      ).ok,
    ).toBe(true);
    const r = await applying;
    expect(r).toMatchObject({ status: 'ok', value: { approvedBy: ['UADMIN'] } });
    expect(statuses.some((s) => s.startsWith('waiting for approval of'))).toBe(true);
    expect(stateOf(h, 'production').resources.some((x) => x.name === 'waited')).toBe(true);
  });

  it('refuses a plan whose generated Kubernetes/Helm files changed after planning (digest mismatch)', async () => {
    const generatedDir = join(h.root, 'generated');
    mkdirSync(join(generatedDir, 'kubernetes', 'staging'), { recursive: true });
    writeFileSync(join(generatedDir, 'kubernetes', 'staging', 'ns.yaml'), 'kind: Namespace\n');
    const deps = h.deps('ci:pipeline', { generatedDir });
    writeFileSync(
      join(h.stacksDir, 'staging', 'extra.tf'),
      'resource "terraform_data" "extra" {\n  input = "x"\n}\n',
    );
    const planned = await planEnv(deps, 'staging');
    expect(planned.status).toBe('ok');
    writeFileSync(
      join(generatedDir, 'kubernetes', 'staging', 'ns.yaml'),
      'kind: Namespace\nmetadata: {name: changed}\n',
    );
    const r = await applyEnv(deps, 'staging');
    expect(r).toMatchObject({ status: 'refused', code: 'ENVC4004' });
    expect(stateOf(h, 'staging').resources.some((x) => x.name === 'extra')).toBe(false);
    expect((await h.store.listAudit({ env: 'staging', action: 'apply.refused' }))[0]?.details).toMatchObject({
      code: 'ENVC4004',
    });
  });

  it('serializes two concurrent applies of one environment; the second finds the plan applied', async () => {
    writeFileSync(
      join(h.stacksDir, 'development', 'extra.tf'),
      'resource "terraform_data" "extra" {\n  input = "y"\n}\n',
    );
    const base = h.deps('ci:a', { lock: { ttlSeconds: 30, waitMs: 30_000, pollMs: 20 } });
    const { stats, wrapped } = counting(base.terraform);
    const deps: RunnerDeps = { ...base, terraform: wrapped };
    const planned = await planEnv(deps, 'development');
    expect(planned.status).toBe('ok');
    const serialBefore = stateOf(h, 'development').serial;
    const waits: string[] = [];
    const [a, b] = await Promise.all([
      applyEnv({ ...deps, progress: (_e, s) => waits.push(`a:${s}`) }, 'development'),
      applyEnv({ ...deps, actor: 'ci:b', progress: (_e, s) => waits.push(`b:${s}`) }, 'development'),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['ok', 'refused']);
    const loser = a.status === 'refused' ? a : b;
    expect(loser).toMatchObject({ code: 'ENVC4002' });
    expect(stats.byCommand.apply).toBe(1);
    expect(stats.maxApplyInFlight).toBe(1);
    expect(waits.some((w) => w.includes('waiting for the lock held by'))).toBe(true);
    expect(stateOf(h, 'development').serial).toBeGreaterThan(serialBefore);
  });

  it('refuses at once when another holder has the lock and no wait is allowed', async () => {
    writeFileSync(
      join(h.stacksDir, 'development', 'extra2.tf'),
      'resource "terraform_data" "extra2" {\n  input = "z"\n}\n',
    );
    const deps = h.deps('ci:pipeline');
    expect((await planEnv(deps, 'development')).status).toBe('ok');
    await h.store.acquireLock('development', 'someone@elsewhere:1/abc', 60);
    const r = await applyEnv(deps, 'development');
    expect(r).toMatchObject({ status: 'refused', code: 'ENVC4005' });
    if (r.status === 'refused') {
      expect(r.message).toContain('someone@elsewhere:1/abc');
      expect(r.next).toContain('envc lock release --env development --force');
    }
    await h.store.forceRelease('development');
  });
});
