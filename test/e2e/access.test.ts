/**
 * Just-in-time access end to end: the real Bolt app over HTTP with signed requests (a local Slack that checks
 * every call), a local Kubernetes API, a real PGlite store. request → approve → RoleBinding created → the bot
 * restarts → expiry → binding deleted; self-approval, non-approvers and over-long durations refused; two
 * distinct approvers where the policy says so; a binding re-created by hand reported as drift; break-glass
 * only after another person's approval, with a loud alert and a post-hoc review recorded in the thread; every
 * decision audited.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bot } from '../../src/bot/app.js';
import { AccessActionId, AccessInput } from '../../src/bot/blocks/access.js';
import accessExpiry from '../../src/bot/jobs/access-expiry.js';
import { memoryLog } from '../../src/bot/log.js';
import { Redactor } from '../../src/redact.js';
import type { AccessRequest } from '../../src/store/types.js';
import { DEFAULTS, type FakeMessage } from '../support/slack/fake-slack.js';
import type { SlackUser } from '../support/slack/user.js';
import { startTestBot, startWorld, USERS, type World } from './rotation.harness.js';

const SECRET = 'test-signing-secret-0123456789';

// Real Bolt, store and HTTP round trips on a shared machine: allow for load.
vi.setConfig({ testTimeout: 120_000 });

let w: World;
let bot: Bot;
let user: SlackUser;
const log = memoryLog(new Redactor([DEFAULTS.botToken, SECRET]));

async function startBot(): Promise<void> {
  ({ bot, user } = await startTestBot(w, log, SECRET));
}

beforeAll(async () => {
  w = await startWorld(['production', 'staging']);
  await startBot();
});
afterAll(async () => {
  await bot?.stop();
  await w?.close();
});

/** The ephemeral answers (response_url) to `who`, newest last. */
function answers(who: string): string[] {
  return w.slack.ephemerals.filter((e) => e.user === who).map((e) => e.text ?? '');
}
async function answer(who: string, before: number, what: string): Promise<string> {
  // Generous: the machine is shared, and a grant is several store, Kubernetes and Slack round trips.
  return w.slack.waitFor(() => answers(who).slice(before).find(Boolean), what, 30_000);
}
function requestMessage(id: string): FakeMessage | undefined {
  return w.slack.parents('#platform-infra').find((m) => JSON.stringify(m.blocks ?? []).includes(id));
}
function bindings(env = 'production') {
  return w.clusters[env]!.list('rbac.authorization.k8s.io/v1', 'RoleBinding', 'team-a').filter((b) =>
    b.metadata.name.startsWith('envc-grant-'),
  );
}
async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function latestRequest(policy: string): Promise<AccessRequest> {
  const r = (await w.store.listAccessRequests({})).find((x) => x.policy === policy);
  if (!r) throw new Error(`no ${policy} request`);
  return r;
}

describe('JIT access through /infra access', () => {
  let req: AccessRequest;

  it('refuses a duration over the policy maximum, naming the maximum', async () => {
    const n = answers(USERS.alice).length;
    const d = await user.slash(USERS.alice, 'access production view 9h debug INC-123');
    expect(d.status).toBe(200);
    expect(await answer(USERS.alice, n, 'refusal')).toContain('the maximum is 8h');
    expect(await w.store.listAccessRequests({})).toEqual([]);
  });

  it('posts a request with Approve/Deny; the requester and a non-approver cannot approve it', async () => {
    let n = answers(USERS.alice).length;
    await user.slash(USERS.alice, 'access production view 2h debug INC-123 (checkout errors)');
    expect(await answer(USERS.alice, n, 'request reply')).toContain('Requested');
    req = await latestRequest('view');
    expect(req).toMatchObject({
      env: 'production',
      requester: USERS.alice,
      status: 'pending',
      durationSeconds: 7200,
      reason: 'debug INC-123 (checkout errors)',
    });
    expect(req.details).toMatchObject({
      k8sUser: 'alice@acme.example',
      scope: 'namespace',
      clusterRole: 'envc:view',
    });
    const msg = await w.slack.waitFor(() => requestMessage(req.id), 'request message', 30_000);

    n = answers(USERS.alice).length;
    await user.click(USERS.alice, msg, AccessActionId.approve);
    expect(await answer(USERS.alice, n, 'self-approval refusal')).toContain('cannot approve your own');
    const m = answers(USERS.mallory).length;
    await user.click(USERS.mallory, msg, AccessActionId.approve);
    expect(await answer(USERS.mallory, m, 'non-approver refusal')).toContain(
      'only approvers of policy "view"',
    );
    expect((await w.store.getAccessRequest(req.id))?.status).toBe('pending');
    expect(bindings()).toEqual([]);
  });

  it('an approver grants it: a RoleBinding labelled with the grant and annotated with the expiry, and a DM with the context', async () => {
    const msg = requestMessage(req.id)!;
    const n = answers(USERS.bob).length;
    await user.click(USERS.bob, msg, AccessActionId.approve);
    expect(await answer(USERS.bob, n, 'approval reply')).toContain('granted view on production');
    const [b, ...more] = bindings();
    expect(more).toEqual([]);
    expect(b?.metadata.labels?.['envc.io/grant']).toBe(req.id.toLowerCase().replace(/_/g, '-'));
    expect(b?.metadata.annotations?.['envc.io/grant-id']).toBe(req.id);
    expect(b?.metadata.annotations?.['envc.io/expires-at']).toBe('2026-11-26T11:00:00.000Z');
    expect(b?.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'envc:view' });
    expect(b?.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' },
    ]);
    const granted = await w.store.getAccessRequest(req.id);
    expect(granted).toMatchObject({ status: 'granted', approvers: [USERS.bob] });
    // The DM: chat.postMessage to Alice's user id, with the kubectl context.
    const dm = w.slack.okCalls('chat.postMessage').find((c) => c.args.channel === USERS.alice);
    expect(String(dm?.args.text)).toContain('active until 2026-11-26T11:00:00.000Z');
    expect(JSON.stringify(dm?.args.blocks)).toContain(
      'kubectl config set-context envc-production --cluster=acme-production --user=alice@acme.example --namespace=team-a',
    );
    // The parent message now says granted (updated in place), the thread tells the story.
    const parent = requestMessage(req.id)!;
    expect(JSON.stringify(parent.blocks)).toContain('Granted');
    expect(JSON.stringify(parent.blocks)).not.toContain(AccessActionId.approve);
    expect(
      w.slack
        .replies(parent.channel, parent.ts)
        .map((r) => r.text)
        .join('\n'),
    ).toContain('Granted by');
    // /metrics shows the active grant.
    const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    expect(metrics).toContain(
      'envc_access_grants_active{environment="production",policy="view",break_glass="false"} 1',
    );
  });

  it('/infra access list shows it', async () => {
    const n = answers(USERS.carol).length;
    await user.slash(USERS.carol, 'access list production');
    const text = await w.slack.waitFor(
      () => w.slack.ephemerals.filter((e) => e.user === USERS.carol).slice(n)[0],
      'list',
      30_000,
    );
    expect(JSON.stringify(text.blocks)).toContain(req.id);
    expect(JSON.stringify(text.blocks)).toContain('granted until 2026-11-26T11:00:00.000Z');
  });

  it('survives a bot restart: the next bot revokes it at expiry and deletes the binding', async () => {
    await bot.stop();
    await w.reopenStore();
    await startBot();
    w.clock.now = new Date('2026-11-26T10:59:00Z');
    expect(await accessExpiry.run(bot.deps, w.clock.now)).toMatchObject({ revoked: 0, drift: 0 });
    expect(bindings()).toHaveLength(1);
    w.clock.now = new Date('2026-11-26T11:00:00Z');
    expect(await accessExpiry.run(bot.deps, w.clock.now)).toMatchObject({ revoked: 1, drift: 0 });
    expect(bindings()).toEqual([]);
    expect((await w.store.getAccessRequest(req.id))?.status).toBe('expired');
    const parent = requestMessage(req.id)!;
    expect(
      w.slack
        .replies(parent.channel, parent.ts)
        .map((r) => r.text)
        .join('\n'),
    ).toContain('Expired at 2026-11-26T11:00:00.000Z');
    expect(JSON.stringify(parent.blocks)).toContain('Expired and revoked');
  });

  it('reports a binding re-created by hand as drift, and removes it', async () => {
    const k8s = w.clusters.production!;
    await k8s.seed({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {
        name: `envc-grant-${req.id.toLowerCase().replace(/_/g, '-')}`,
        namespace: 'team-a',
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'envc:view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' }],
    });
    const before = w.slack.parents('#platform-infra').length;
    expect(await accessExpiry.run(bot.deps, w.clock.now)).toMatchObject({ revoked: 0, drift: 1 });
    expect(bindings()).toEqual([]);
    const alert = w.slack
      .parents('#platform-infra')
      .slice(before)
      .find((m) => (m.text ?? '').startsWith('Access drift'));
    expect(JSON.stringify(alert?.blocks)).toContain('is expired');
    expect(JSON.stringify(alert?.blocks)).toContain('re-created by hand');
    const audit = await w.store.listAudit({ action: 'access.drift' });
    expect(audit[0]?.details).toMatchObject({ removed: true, subjects: ['alice@acme.example'] });
  });

  it('prod-edit needs two distinct approvers', async () => {
    const a = answers(USERS.alice).length;
    await user.slash(USERS.alice, 'access production edit 1h deploy hotfix');
    expect(await answer(USERS.alice, a, 'request reply')).toContain('waiting for 2 approval(s)');
    const edit = await eventually(
      async () => (await w.store.listAccessRequests({})).find((x) => x.policy === 'prod-edit'),
      'prod-edit request',
    );
    const msg = await w.slack.waitFor(() => requestMessage(edit.id), 'prod-edit message', 30_000);
    let n = answers(USERS.bob).length;
    await user.click(USERS.bob, msg, AccessActionId.approve);
    expect(await answer(USERS.bob, n, 'first approval')).toContain('waiting for another approver');
    n = answers(USERS.bob).length;
    await user.click(USERS.bob, requestMessage(edit.id)!, AccessActionId.approve);
    expect(await answer(USERS.bob, n, 'repeat approval')).toContain('already approved');
    expect((await w.store.getAccessRequest(edit.id))?.status).toBe('pending');
    n = answers(USERS.carol).length;
    await user.click(USERS.carol, requestMessage(edit.id)!, AccessActionId.approve);
    expect(await answer(USERS.carol, n, 'second approval')).toContain('granted');
    expect((await w.store.getAccessRequest(edit.id))?.approvers).toEqual([USERS.bob, USERS.carol]);
    expect(bindings().map((b) => b.roleRef)).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'envc:edit' },
    ]);
    // Revoked early by the requester.
    n = answers(USERS.alice).length;
    await user.slash(USERS.alice, `access revoke ${edit.id} done`);
    expect(await answer(USERS.alice, n, 'revoke')).toContain('revoked');
    expect(bindings()).toEqual([]);
  });

  it('break-glass: only through its approval path (not the requester, not a non-approver), then a time-boxed ClusterRoleBinding, alerted loudly, reviewed after the fact by someone else', async () => {
    let n = answers(USERS.alice).length;
    await user.slash(USERS.alice, 'access production break-glass 30m checkout is down');
    const reply = await answer(USERS.alice, n, 'break-glass reply');
    expect(reply).toContain('Requested');
    expect(reply).toContain('BREAK-GLASS');
    let bg = await latestRequest('break-glass');
    expect(bg.status).toBe('pending');
    const grants = () =>
      w.clusters
        .production!.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')
        .filter((b) => b.metadata.name.startsWith('envc-grant-'));
    expect(grants()).toEqual([]);
    const pending = await w.slack.waitFor(() => requestMessage(bg.id), 'break-glass request', 30_000);
    expect(JSON.stringify(pending.blocks)).toContain('BREAK-GLASS');
    expect(JSON.stringify(pending.blocks)).toContain('<!here>');
    expect(JSON.stringify(pending.blocks)).toContain(AccessActionId.approve);
    expect(JSON.stringify(pending.blocks)).not.toContain(AccessActionId.review);

    n = answers(USERS.alice).length;
    await user.click(USERS.alice, pending, AccessActionId.approve);
    expect(await answer(USERS.alice, n, 'self-approval refusal')).toContain('cannot approve your own');
    const m = answers(USERS.mallory).length;
    await user.click(USERS.mallory, pending, AccessActionId.approve);
    expect(await answer(USERS.mallory, m, 'non-approver refusal')).toContain(
      'only approvers of policy "break-glass"',
    );
    expect((await w.store.getAccessRequest(bg.id))?.status).toBe('pending');
    expect(grants()).toEqual([]);
    const refusals = await w.store.listAudit({ action: 'access.approve.refuse' });
    expect(refusals.filter((a) => a.details?.requestId === bg.id).map((a) => a.actor)).toEqual(
      expect.arrayContaining([USERS.alice, USERS.mallory]),
    );

    n = answers(USERS.bob).length;
    await user.click(USERS.bob, requestMessage(bg.id)!, AccessActionId.approve);
    expect(await answer(USERS.bob, n, 'approval reply')).toContain('granted break-glass on production');
    bg = (await w.store.getAccessRequest(bg.id))!;
    expect(bg).toMatchObject({ status: 'granted', approvers: [USERS.bob] });
    // Time-boxed: the grant ends 30 minutes after it was made (the access-expiry job revokes it).
    expect(bg.expiresAt!.getTime() - bg.grantedAt!.getTime()).toBe(30 * 60_000);
    expect(grants().map((b) => b.roleRef)).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'envc:break-glass' },
    ]);
    const granted = await w.store.listAudit({ action: 'access.break-glass' });
    expect(granted.find((a) => a.details?.requestId === bg.id)).toMatchObject({
      actor: USERS.bob,
      env: 'production',
      details: { approvers: [USERS.bob] },
    });
    const alert = requestMessage(bg.id)!;
    expect(JSON.stringify(alert.blocks)).toContain('BREAK-GLASS');
    expect(JSON.stringify(alert.blocks)).toContain('<!here>');
    expect(JSON.stringify(alert.blocks)).toContain(AccessActionId.review);
    // The user of break-glass cannot review it; an approver can, in a modal.
    const a = answers(USERS.alice).length;
    await user.click(USERS.alice, alert, AccessActionId.review);
    expect(await answer(USERS.alice, a, 'self-review refusal')).toContain('cannot review');
    const viewsBefore = w.slack.views.size;
    await user.click(USERS.bob, alert, AccessActionId.review);
    const view = await w.slack.waitFor(
      () => (w.slack.views.size > viewsBefore ? [...w.slack.views.values()].at(-1) : undefined),
      'review modal',
      30_000,
    );
    const d = await user.submit(USERS.bob, view.id, {
      [AccessInput.notes]: { [AccessInput.value]: 'Restarted the payment pods; justified, INC-124.' },
    });
    expect(d.status).toBe(200);
    await w.slack.waitFor(
      () =>
        w.slack.replies(alert.channel, alert.ts).find((r) => (r.text ?? '').includes('Post-hoc review by')),
      'review reply',
      30_000,
    );
    expect(JSON.stringify(requestMessage(bg.id)!.blocks)).toContain('Reviewed');
    const audit = await w.store.listAudit({ action: 'access.review' });
    expect(audit[0]).toMatchObject({
      actor: USERS.bob,
      env: 'production',
      details: { requestId: bg.id, notes: 'Restarted the payment pods; justified, INC-124.' },
    });
  });

  it('a modal asks for what /infra access is missing and checks it before closing', async () => {
    const before = w.slack.views.size;
    await user.slash(USERS.alice, 'access staging');
    const view = await w.slack
      .waitFor(
        () => (w.slack.views.size > before ? [...w.slack.views.values()].at(-1) : undefined),
        'request modal',
        30_000,
      )
      .catch((e) => {
        throw new Error(
          `${e.message}: ${JSON.stringify(w.slack.rejectedCalls())} ${JSON.stringify(log.lines.filter((l) => l.level === 'error'))} ${JSON.stringify(w.slack.ephemerals.slice(-2))} ${JSON.stringify(w.slack.callsTo('views.open'))}`,
        );
      });
    const values = (duration: string) => ({
      [AccessInput.env]: { [AccessInput.value]: 'staging' },
      [AccessInput.policy]: { [AccessInput.value]: 'edit' },
      [AccessInput.duration]: { [AccessInput.value]: duration },
      [AccessInput.reason]: { [AccessInput.value]: 'fix a stuck job' },
    });
    const refused = await user.submit(USERS.alice, view.id, values('5h'));
    expect(refused.ack).toMatchObject({
      response_action: 'errors',
      errors: { [AccessInput.duration]: '5h is over the maximum of edit: 4h' },
    });
    await user.submit(USERS.alice, view.id, values('1h'));
    const r = await eventually(
      async () => (await w.store.listAccessRequests({ env: 'staging' }))[0],
      'staging request',
    );
    expect(r).toMatchObject({ policy: 'edit', durationSeconds: 3600, status: 'pending' });
  });

  it('audits every decision with actor, environment, policy, duration and reason', async () => {
    const entries = await w.store.listAudit({ action: 'access.*', limit: 500 });
    const actions = new Set(entries.map((e) => e.action));
    for (const a of [
      'access.refuse',
      'access.request',
      'access.approve.refuse',
      'access.approve',
      'access.grant',
      'access.expire',
      'access.revoke',
      'access.break-glass',
      'access.review',
      'access.drift',
    ]) {
      expect(actions, a).toContain(a);
    }
    const grant = entries.find((e) => e.action === 'access.grant' && e.details.policy === 'view')!;
    expect(grant).toMatchObject({
      actor: USERS.bob,
      env: 'production',
      details: {
        policy: 'view',
        duration: '2h',
        reason: 'debug INC-123 (checkout errors)',
        requester: USERS.alice,
      },
    });
    // And as structured log lines Loki can select on.
    expect(
      log.lines.some((l) => l.audit === true && l.action === 'access.grant' && l.actor === USERS.bob),
    ).toBe(true);
    expect(w.slack.rejectedCalls()).toEqual([]);
  });
});
