import { afterEach, describe, expect, it } from 'vitest';
import { renderApproval } from '../../src/bot/approval.js';
import type { ArgoSync } from '../../src/bot/argo.js';
import { ActionId } from '../../src/bot/ids.js';
import approvalsJob from '../../src/bot/jobs/approvals.js';
import { runTick } from '../../src/bot/jobs/scheduler.js';
import type { Model } from '../../src/compiler/model.js';
import type { Store } from '../../src/store/types.js';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../support/model.js';
import {
  DEFAULTS,
  type Harness,
  SIGNING_SECRET,
  settle,
  startHarness,
  USERS,
} from '../support/slack/bot-harness.js';
import { type FakeMessage, postSigned } from '../support/slack/index.js';
import { openTestStore } from '../support/store.js';

/**
 * The real Bolt app over HTTP (HTTPReceiver, request signing) against the local Slack fake, which checks
 * every Web API call against shared/reference/slack and records it. The runner is scripted (terraform is
 * not the point here); plans, approvals, incidents and the audit log live in a real PGlite store.
 */
let h: Harness | undefined;
let store: Store | undefined;

afterEach(async () => {
  if (h) {
    // Nothing the bot sent may have been rejected or be a defect Slack would silently accept.
    expect(h.fake.rejectedCalls().filter((c) => c.status !== 429)).toEqual([]);
    expect(h.fake.warnings).toEqual([]);
    await h.close();
  }
  await store?.close();
  h = undefined;
  store = undefined;
});

async function start(opts: { model?: Model; argo?: ArgoSync } = {}): Promise<Harness> {
  store = (await openTestStore()).store;
  h = await startHarness({ store, model: opts.model ?? (await defaultModel()), argo: opts.argo });
  return h;
}

const planSummary = {
  add: 2,
  change: 1,
  destroy: 1,
  resources: [
    {
      address: 'module.cluster.linode_lke_cluster.this',
      action: 'update',
      origin: { file: 'environments.yaml', line: 131, path: 'environments.production.cluster.pools[0]' },
    },
    {
      address: 'module.db.linode_database_postgresql_v2.this',
      action: 'delete',
      protected: true,
      origin: { file: 'environments.yaml', line: 164, path: 'environments.production.dataServices.postgres' },
    },
    { address: 'linode_firewall.main', action: 'create' },
    { address: 'linode_domain_record.caa', action: 'create' },
  ],
};

function approvalParents(x: Harness): FakeMessage[] {
  return x.fake.parents(DEFAULTS.channel.id).filter((m) => String(m.text).startsWith('Approval'));
}

function buttons(m: FakeMessage): string[] {
  return (m.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string }>).map((e) => e.action_id));
}

async function audit(action: string) {
  return store!.listAudit({ action, limit: 100 });
}

/** Plans production as `requester` from Slack and returns the approval message. */
async function planProduction(x: Harness, requester: string = USERS.requester): Promise<FakeMessage> {
  x.runner.setPlan('production', planSummary);
  const r = await x.user.slash(requester, 'plan production');
  expect(r.status).toBe(200);
  await settle(x);
  const msgs = approvalParents(x);
  expect(msgs).toHaveLength(1);
  return msgs[0]!;
}

/** Clicks Approve, submits the confirmation modal; returns the modal's view id. */
async function approveByButton(x: Harness, user: string, m: FakeMessage): Promise<string> {
  const views = x.fake.okCalls('views.open').length;
  const click = await x.user.click(user, x.fake.message(m.channel, m.ts)!, ActionId.approve);
  expect(click.status).toBe(200);
  await x.fake.waitFor(() => x.fake.okCalls('views.open').length > views, 'the confirmation modal');
  const opened = x.fake.okCalls('views.open').at(-1)!;
  const viewId = String((opened.response.view as { id: string }).id);
  const submit = await x.user.submit(user, viewId);
  expect(submit.status).toBe(200);
  await settle(x);
  return viewId;
}

describe('/infra over HTTP with signed requests', () => {
  it('help lists every sub-command in the ack; unknown and malformed commands get an ephemeral usage', async () => {
    const x = await start();
    const help = await x.user.slash(USERS.outsider, 'help');
    expect(help.status).toBe(200);
    expect(help.ack).toMatchObject({ response_type: 'ephemeral' });
    const text = JSON.stringify(help.ack);
    // mrkdwn escapes < and > (Slack shows them as typed).
    for (const sub of [
      'status [env]',
      'plan &lt;env|all&gt;',
      'approve &lt;env&gt; [digest-prefix]',
      'deny &lt;env&gt; [reason]',
      'drift [env]',
    ])
      expect(text).toContain(sub);

    const unknown = await x.user.slash(USERS.outsider, 'frobnicate now');
    expect(JSON.stringify(unknown.ack)).toContain('unknown sub-command \\"frobnicate\\"');
    const typo = await x.user.slash(USERS.outsider, 'plan prod');
    expect(JSON.stringify(typo.ack)).toContain('did you mean \\"production\\"');
    const missing = await x.user.slash(USERS.outsider, 'plan');
    expect(JSON.stringify(missing.ack)).toContain('an environment is required');
    const extra = await x.user.slash(USERS.outsider, 'status staging extra');
    expect(JSON.stringify(extra.ack)).toContain('unexpected argument \\"extra\\"');
    await settle(x);
    expect(x.runner.calls).toEqual([]);
    expect(x.fake.okCalls('chat.postMessage')).toEqual([]);
  });

  it('status reports last apply, pending approvals, open incident and lock holder through response_url', async () => {
    const x = await start();
    await store!.acquireLock('staging', 'ci@runner-7:4242', 600);
    await store!.audit({
      actor: USERS.lead1,
      env: 'development',
      action: 'apply',
      details: { digest: 'd'.repeat(64) },
    });
    await store!.openOrUpdateIncident({
      env: 'development',
      fingerprint: 'f1',
      summary: { outOfBand: ['linode_instance.a'] },
    });
    await planProduction(x);
    const r = await x.user.slash(USERS.outsider, 'status');
    expect(r.ack).toBe('');
    await settle(x);
    const reply = x.fake.ephemerals.find(
      (e) => e.via === 'response_url' && String(e.text).startsWith('Status of'),
    )!;
    expect(reply.user).toBe(USERS.outsider);
    const body = JSON.stringify(reply.blocks);
    expect(reply.text).toBe('Status of system, development, staging, production');
    expect(body).toContain('held by `ci@runner-7:4242`');
    expect(body).toContain('<@U0LEAD0001> (`dddddddddddd`)');
    expect(body).toMatch(/open since .* \(1 check\(s\)\)/);
    expect(body).toContain(`by <@${USERS.requester}>, expires`);

    await x.user.slash(USERS.outsider, 'status staging');
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toBe('Status of staging');
  });

  it('plan posts one parent, the summary in its thread, and an approval request with the plan for a gated environment', async () => {
    const x = await start();
    x.runner.setPlan('development', {
      add: 1,
      change: 0,
      destroy: 0,
      resources: [{ address: 'terraform_data.a', action: 'create' }],
    });
    x.runner.setPlan('production', planSummary);
    const r = await x.user.slash(USERS.requester, 'plan all');
    expect(JSON.stringify(r.ack)).toContain('Planning system, development, staging, production');
    await settle(x);
    const parents = x.fake.parents(DEFAULTS.channel.id);
    const run = parents.find((m) => String(m.text).startsWith('Plan'))!;
    expect(run.history.map((v) => v.text)).toEqual([
      'Planning system, development, staging, production',
      'Planned system, development, staging, production',
    ]);
    const replies = x.fake.replies(DEFAULTS.channel.id, run.ts);
    const texts = replies.map((m) => String(m.text));
    expect(texts[0]).toBe('Plan for system did not finish');
    expect(texts[1]).toMatch(/^Plan for development: \+1 ~0 -0/);
    expect(texts[2]).toBe('Plan for staging did not finish');
    expect(texts[3]).toMatch(/^Plan for production: \+2 ~1 -1/);
    expect(texts[4]).toMatch(/^production needs approval/);
    expect(replies).toHaveLength(5);
    const approval = approvalParents(x);
    expect(approval).toHaveLength(1);
    const blocks = JSON.stringify(approval[0]!.blocks);
    expect(blocks).toContain(`<@${USERS.requester}>`);
    expect(blocks).toContain('+2 ~1 -1');
    expect(blocks).toContain('*`module.db.linode_database_postgresql_v2.this` (protected)*');
    expect(blocks).toContain('environments.yaml:164 environments.production.dataServices.postgres');
    expect(blocks).toContain(x.runner.digestOf('production').slice(0, 12));
    expect(buttons(approval[0]!)).toEqual([ActionId.approve, ActionId.deny, ActionId.viewPlan]);
    expect((await audit('bot.command'))[0]).toMatchObject({
      actor: USERS.requester,
      action: 'bot.command',
      details: { command: 'plan' },
    });
    expect(await store!.getApprovalRequest('production', x.runner.digestOf('production'))).toMatchObject({
      requester: USERS.requester,
      status: 'pending',
    });
  });

  it('an approver approves through the confirmation modal; the parent is updated, the bot applies and syncs ArgoCD', async () => {
    const synced: Array<{ env: string; revision: string }> = [];
    const argo: ArgoSync = {
      syncApplications: async (env, revision) => {
        synced.push({ env, revision });
        return { applications: ['production-platform', 'production-sample-service'], failed: [] };
      },
    };
    const x = await start({ argo });
    const m = await planProduction(x);
    const digest = x.runner.digestOf('production');
    const viewId = await approveByButton(x, USERS.lead1, m);

    const modal = x.fake.views.get(viewId)!.view;
    expect(JSON.stringify(modal)).toContain(digest);
    expect(JSON.stringify(modal)).toContain('production');
    await x.fake.waitFor(
      () =>
        synced.length > 0 &&
        JSON.stringify(x.fake.message(m.channel, m.ts)!.blocks).includes('ArgoCD sync of'),
      'apply and sync',
    );
    await settle(x);

    // Still exactly one approval message; it was updated in place.
    expect(approvalParents(x)).toHaveLength(1);
    const final = x.fake.message(m.channel, m.ts)!;
    expect(final.text).toMatch(/^Approval applied for production/);
    expect(JSON.stringify(final.blocks)).toContain(`Approved by <@${USERS.lead1}>`);
    expect(JSON.stringify(final.blocks)).toContain(
      'ArgoCD sync of `production-platform`, `production-sample-service` to `5f3c2a1b9d8e`',
    );
    expect(buttons(final)).toEqual([ActionId.viewPlan]);
    expect(x.runner.calls.filter((c) => c.op === 'apply')).toEqual([
      { op: 'apply', env: 'production', actor: USERS.requester, digest },
    ]);
    expect(synced).toEqual([{ env: 'production', revision: x.runner.revision }]);
    const thread = x.fake.replies(m.channel, m.ts).map((r) => r.text);
    expect(thread).toEqual([
      expect.stringContaining('approved'),
      expect.stringContaining('Applied'),
      expect.stringContaining('ArgoCD sync'),
    ]);
    expect((await audit('approval.add')).map((a) => [a.actor, a.env, a.details.digest])).toEqual([
      [USERS.lead1, 'production', digest],
    ]);
    expect((await store!.listApprovals('production', digest)).map((a) => a.used)).toEqual([true]);

    // Used once: approving the applied plan again is refused.
    await x.user.slash(USERS.lead2, `approve production ${digest.slice(0, 8)}`);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(
      /^Not approved: the plan .* was already applied; an approval is used once/,
    );
    expect(x.runner.calls.filter((c) => c.op === 'apply')).toHaveLength(1);
  });

  it('refuses the requester, a non-approver, another digest and an expired request — each audited, nothing approved', async () => {
    const x = await start();
    const m = await planProduction(x);
    const digest = x.runner.digestOf('production');
    const views = () => x.fake.okCalls('views.open').length;

    await x.user.click(USERS.requester, m, ActionId.approve);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)).toMatchObject({
      user: USERS.requester,
      text: expect.stringMatching(/^Not approved: you requested this plan/),
    });

    await x.user.click(USERS.outsider, m, ActionId.approve);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/^Not approved: you are not an approver of production/);

    await x.user.slash(USERS.lead1, 'approve production 0000beef');
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(
      /^Not approved: no plan of production has digest 0000beef/,
    );

    x.clock.advance(61 * 60_000);
    await x.user.click(USERS.lead1, m, ActionId.approve);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/^Not approved: the approval request .* expired/);

    expect(views()).toBe(0);
    expect(await store!.listApprovals('production', digest)).toEqual([]);
    expect((await audit('approval.refuse')).map((a) => a.details.code).sort()).toEqual([
      'expired',
      'not-approver',
      'other-digest',
      'self-approval',
    ]);

    // The sweeper posts the expiry once (two ticks, one post) and updates the parent in place.
    expect(await runTick(approvalsJob, x.deps, x.clock.now())).toBe('ok');
    expect(await runTick(approvalsJob, x.deps, new Date(x.clock.now().getTime() + 60_000))).toBe('ok');
    await settle(x);
    expect(await audit('approval.expire')).toHaveLength(1);
    expect((await store!.getApprovalRequest('production', digest))?.status).toBe('expired');
    expect(x.fake.replies(m.channel, m.ts).filter((r) => String(r.text).includes('expired'))).toHaveLength(1);
    expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval expired for production/);
    expect(approvalParents(x)).toHaveLength(1);
  });

  it("the parent follows the request's status: applying while the apply runs, then failed with the runner's error", async () => {
    const x = await start();
    const m = await planProduction(x);
    const digest = x.runner.digestOf('production');
    let release!: () => void;
    x.runner.applyGate = new Promise<void>((r) => {
      release = r;
    });
    x.runner.applyFails = 'Error: creating LKE cluster: [400] quota exceeded';
    // Approve without settling: the apply that follows waits for the gate.
    await x.user.click(USERS.lead1, x.fake.message(m.channel, m.ts)!, ActionId.approve);
    await x.fake.waitFor(() => x.fake.okCalls('views.open').length === 1, 'the confirmation modal');
    const viewId = String((x.fake.okCalls('views.open')[0]!.response.view as { id: string }).id);
    expect((await x.user.submit(USERS.lead1, viewId)).status).toBe(200);
    await x.fake.waitFor(() => x.runner.calls.some((c) => c.op === 'apply'), 'the apply');
    for (let i = 0; (await store!.getApprovalRequest('production', digest))?.status !== 'applying'; i++) {
      if (i > 500) throw new Error('timed out waiting for the apply to consume its approvals');
      await new Promise((r) => setTimeout(r, 10));
    }
    // Re-rendered from the store while the apply runs (as another replica or the sweeper would).
    await renderApproval(x.deps, 'production', digest);
    expect(JSON.stringify(x.fake.message(m.channel, m.ts)!.blocks)).toContain('Applying');
    expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval applying for production/);

    release();
    await x.fake.waitFor(
      () => String(x.fake.message(m.channel, m.ts)!.text).startsWith('Approval failed'),
      'the failure on the parent',
    );
    await settle(x);
    expect(await store!.getApprovalRequest('production', digest)).toMatchObject({
      status: 'failed',
      error: 'Error: creating LKE cluster: [400] quota exceeded',
    });
    expect(JSON.stringify(x.fake.message(m.channel, m.ts)!.blocks)).toContain(
      'Apply failed: Error: creating LKE cluster: [400] quota exceeded',
    );
    expect(buttons(x.fake.message(m.channel, m.ts)!)).toEqual([ActionId.viewPlan]);
    // The failed apply used the approvals: approving again is refused, and the sweeper adds nothing.
    await x.user.slash(USERS.lead2, `approve production ${digest.slice(0, 8)}`);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(
      /^Not approved: the apply of .* failed and used its approvals/,
    );
    const replies = x.fake.replies(m.channel, m.ts).length;
    expect(await runTick(approvalsJob, x.deps, x.clock.now())).toBe('ok');
    await settle(x);
    expect(x.fake.replies(m.channel, m.ts)).toHaveLength(replies);
    expect(approvalParents(x)).toHaveLength(1);
  });

  it('a plan made while another waits supersedes it: the old buttons are refused as another digest', async () => {
    const x = await start();
    const first = await planProduction(x);
    const oldDigest = x.runner.digestOf('production');
    x.runner.setPlan('production', { ...planSummary, add: 3 });
    await x.user.slash(USERS.requester, 'plan production');
    await settle(x);
    expect(x.fake.message(first.channel, first.ts)!.text).toMatch(/^Approval superseded/);
    const stale = { ...first, blocks: first.history[0]!.blocks as FakeMessage['blocks'] };
    await x.user.click(USERS.lead1, stale, ActionId.approve);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/superseded/);
    expect(await store!.listApprovals('production', oldDigest)).toEqual([]);
  });

  it('minApprovals counts distinct approvers: a double click by one approver counts once', async () => {
    const spec = defaultSpecObject() as {
      environments: Record<string, { approvals: Record<string, unknown> }>;
    };
    spec.environments.production!.approvals.minApprovals = 2;
    const x = await start({ model: await modelFromSpec(spec) });
    const m = await planProduction(x);
    const digest = x.runner.digestOf('production');

    // Two clicks, two modals (each click has its own trigger), two submits: one approval.
    const c1 = await x.user.click(USERS.lead1, m, ActionId.approve);
    const c2 = await x.user.click(USERS.lead1, m, ActionId.approve);
    expect([c1.status, c2.status]).toEqual([200, 200]);
    await x.fake.waitFor(() => x.fake.okCalls('views.open').length === 2, 'two modals');
    const [v1, v2] = x.fake.okCalls('views.open').map((c) => String((c.response.view as { id: string }).id));
    await x.user.submit(USERS.lead1, v1!);
    await settle(x);
    await x.user.submit(USERS.lead1, v2!);
    await settle(x);
    expect((await store!.listApprovals('production', digest)).map((a) => a.approver)).toEqual([USERS.lead1]);
    expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval pending/);
    expect(JSON.stringify(x.fake.message(m.channel, m.ts)!.blocks)).toContain('1/2');
    expect(x.runner.calls.filter((c) => c.op === 'apply')).toEqual([]);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/you already approved/);

    await approveByButton(x, USERS.lead2, m);
    await x.fake.waitFor(() => x.runner.calls.some((c) => c.op === 'apply'), 'the apply');
    await settle(x);
    expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval applied/);
    // Production syncs manually, but no Kubernetes API is configured: the message says so.
    expect(JSON.stringify(x.fake.message(m.channel, m.ts)!.blocks)).toContain(
      'ArgoCD sync not started: no ArgoCD sync configured (ENVC_ARGOCD_URL',
    );
  });

  it('deny by command and by the modal: posted in the thread, parent updated, audited; a non-approver cannot deny', async () => {
    const x = await start();
    const m = await planProduction(x);
    await x.user.slash(USERS.outsider, 'deny production nope');
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(
      /^Not denied: only production's approvers or the requester may deny/,
    );

    await x.user.slash(USERS.lead1, 'deny production  touches the database in business hours ');
    await settle(x);
    const parent = x.fake.message(m.channel, m.ts)!;
    expect(parent.text).toMatch(/^Approval denied for production/);
    expect(JSON.stringify(parent.blocks)).toContain(
      `Denied by <@${USERS.lead1}>: touches the database in business hours`,
    );
    expect(x.fake.replies(m.channel, m.ts).at(-1)!.text).toContain('denied');
    expect((await audit('approval.deny'))[0]).toMatchObject({
      actor: USERS.lead1,
      env: 'production',
      details: { reason: 'touches the database in business hours' },
    });
    expect(approvalParents(x)).toHaveLength(1);

    // A new plan, denied through the Deny button's modal with a reason.
    x.runner.setPlan('production', { ...planSummary, add: 5 });
    await x.user.slash(USERS.requester, 'plan production');
    await settle(x);
    const second = approvalParents(x).at(-1)!;
    await x.user.click(USERS.lead2, second, ActionId.deny);
    await x.fake.waitFor(() => x.fake.okCalls('views.open').length === 1, 'the deny modal');
    const viewId = String((x.fake.okCalls('views.open')[0]!.response.view as { id: string }).id);
    await x.user.submit(USERS.lead2, viewId, { deny_reason: { reason: 'wait for the freeze to end' } });
    await settle(x);
    expect(JSON.stringify(x.fake.message(second.channel, second.ts)!.blocks)).toContain(
      'wait for the freeze to end',
    );
  });

  it('View plan opens a modal with every change and its spec line', async () => {
    const x = await start();
    const m = await planProduction(x);
    await x.user.click(USERS.outsider, m, ActionId.viewPlan);
    await x.fake.waitFor(() => x.fake.okCalls('views.open').length === 1, 'the plan modal');
    const view = x.fake.okCalls('views.open')[0]!.args.view as Record<string, unknown>;
    const text = JSON.stringify(view);
    for (const r of planSummary.resources) expect(text).toContain(r.address);
    expect(text).toContain('environments.yaml:131 environments.production.cluster.pools[0]');
  });

  it('a forged signature and a request older than five minutes get 401 and change nothing', async () => {
    const x = await start();
    x.runner.setPlan('staging', planSummary);
    const body = new URLSearchParams({
      command: '/infra',
      text: 'plan staging',
      user_id: USERS.lead1,
      channel_id: DEFAULTS.channel.id,
      trigger_id: x.fake.newTriggerId(),
      response_url: x.fake.newResponseUrl(DEFAULTS.channel.id),
      team_id: DEFAULTS.teamId,
    }).toString();
    const forged = await postSigned(x.url, SIGNING_SECRET, body, { secret: 'not-the-signing-secret' });
    const stale = await postSigned(x.url, SIGNING_SECRET, body, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const unsigned = await fetch(x.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 100));
    await settle(x);
    expect(x.runner.calls).toEqual([]);
    expect(x.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(await store!.listAudit({})).toEqual([]);
    // The same body, signed correctly and fresh, is accepted: the 401s were about the signature alone.
    const good = await postSigned(x.url, SIGNING_SECRET, body);
    expect(good.status).toBe(200);
  });

  it('a Slack retry (X-Slack-Retry-Num) of a command is acked and handled once', async () => {
    const x = await start();
    x.runner.setPlan('staging', planSummary);
    const first = await x.user.slash(USERS.requester, 'plan staging');
    const retry1 = await x.user.resend(first.rawBody, { retryNum: 1, retryReason: 'http_timeout' });
    const retry2 = await x.user.resend(first.rawBody, { retryNum: 2, retryReason: 'http_timeout' });
    expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
    await settle(x);
    expect(x.runner.calls.filter((c) => c.op === 'plan')).toHaveLength(1);
    expect(x.fake.parents(DEFAULTS.channel.id).filter((m) => String(m.text).startsWith('Plan'))).toHaveLength(
      1,
    );
    expect(await audit('bot.command')).toHaveLength(1);
    expect(await x.deps.metrics.text()).toMatch(/envc_bot_duplicates_ignored_total\{kind="retry"\} 2/);
  });

  it('a 429 with Retry-After is honoured: the message is posted once, after the wait', async () => {
    const x = await start();
    x.runner.setPlan('staging', planSummary);
    x.fake.rateLimitNext('chat.postMessage', 1, 1);
    await x.user.slash(USERS.requester, 'plan staging');
    await settle(x);
    const posts = x.fake.callsTo('chat.postMessage');
    expect(posts[0]!.status).toBe(429);
    expect(posts[1]!.status).toBe(200);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(posts[1]!.args.text).toBe(posts[0]!.args.text);
    expect(x.fake.parents(DEFAULTS.channel.id).filter((m) => String(m.text).startsWith('Plan'))).toHaveLength(
      1,
    );
    expect(await x.deps.metrics.text()).toMatch(
      /envc_bot_slack_rate_limited_total\{method="chat.postMessage"\} 1/,
    );
  });

  it('keeps secrets in runner errors out of Slack', async () => {
    const x = await start();
    x.runner.planFails = `provider error: token ${x.fake.botToken}, header Authorization: Bearer abcdefghijklmnopqrstuvwxyz, state postgres://envc:hunter2@db:5432/envc, signing ${SIGNING_SECRET}`;
    await x.user.slash(USERS.requester, 'plan staging');
    await settle(x);
    const sent = JSON.stringify(x.fake.calls.map((c) => c.args)) + JSON.stringify(x.fake.ephemerals);
    expect(sent).toContain('provider error: token [REDACTED]');
    for (const secret of [x.fake.botToken, 'abcdefghijklmnopqrstuvwxyz', 'hunter2', SIGNING_SECRET])
      expect(sent).not.toContain(secret);
  });

  it('serves /healthz, /readyz and /metrics beside /slack/events, and logs no secrets', async () => {
    const x = await start();
    await x.user.slash(USERS.outsider, 'help');
    const base = x.url.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: true, slack: true } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('envc_bot_commands_total{command="help",outcome="ok"} 1');
    expect(metrics).toContain('# TYPE envc_bot_ack_latency_seconds histogram');
    const logs = JSON.stringify(x.logs);
    expect(logs).not.toContain(x.fake.botToken);
    expect(logs).not.toContain(SIGNING_SECRET);
  });
});
