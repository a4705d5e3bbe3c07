/**
 * The approval lifecycle is final and visible, across both paths that reach it: the real Bolt app over HTTP
 * (signed requests) against the local Slack fake, and the CLI/CI path (the runner's apply with the Slack
 * notifier, as `envc apply` runs it with SLACK_BOT_TOKEN set) — one store, one Slack.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/bot/ids.js';
import { slackNotifierFromEnv } from '../../src/bot/notifier.js';
import { resolveCliIdentity } from '../../src/cli/commands/runner/cli-identity.js';
import { applyEnv } from '../../src/runner/apply.js';
import type { RunnerDeps } from '../../src/runner/context.js';
import { policyFromModel } from '../../src/runner/policy.js';
import type { Store } from '../../src/store/types.js';
import { defaultModel } from '../support/model.js';
import { startIssuer } from '../support/oidc-issuer.js';
import { DEFAULTS, GROUPS, type Harness, settle, startHarness, USERS } from '../support/slack/bot-harness.js';
import type { FakeMessage } from '../support/slack/index.js';
import { openTestPglite } from '../support/store.js';

let h: Harness | undefined;
let store: Store | undefined;

afterEach(async () => {
  if (h) {
    expect(h.fake.rejectedCalls().filter((c) => c.status !== 429)).toEqual([]);
    expect(h.fake.warnings).toEqual([]);
    await h.close();
  }
  await store?.close();
  h = undefined;
  store = undefined;
});

const summary = {
  add: 1,
  change: 0,
  destroy: 0,
  hasChanges: true,
  resources: [{ address: 'linode_firewall.main', action: 'create' }],
};

async function start(): Promise<Harness> {
  store = (await openTestPglite()).store;
  h = await startHarness({ store, model: await defaultModel() });
  return h;
}

const approvalParents = (x: Harness): FakeMessage[] =>
  x.fake.parents(DEFAULTS.channel.id).filter((m) => String(m.text).startsWith('Approval'));

const buttons = (m: FakeMessage): string[] =>
  (m.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string }>).map((e) => e.action_id));

/** What `envc apply --env production` does in CI with SLACK_BOT_TOKEN: the runner, the Slack notifier. */
async function cliApply(x: Harness, actor: string) {
  const model = await defaultModel();
  const notifier = await slackNotifierFromEnv({
    env: {
      SLACK_BOT_TOKEN: x.fake.botToken,
      SLACK_API_URL: x.fake.apiUrl,
      ENVC_SLACK_USERGROUPS: `platform-leads=${GROUPS.leads}`,
    },
    store: store!,
    model,
    sink: () => {},
  });
  const work = mkdtempSync(join(tmpdir(), 'envc-cli-path-'));
  const deps = {
    store: store!,
    notifier: notifier!,
    policy: policyFromModel(model),
    isApprover: async () => false,
    now: () => new Date(),
    actor,
    stacksDir: join(work, 'stacks'),
    workDir: work,
    backend: false,
    lock: { ttlSeconds: 30, waitMs: 0 },
    approvalWait: { waitMs: 0, pollMs: 10 },
    progress: () => {},
  } as unknown as RunnerDeps;
  return applyEnv(deps, 'production');
}

/** The scripted runner records plans with a plan path; the CLI path checks that the saved plan exists. */
function touchPlanFile(x: Harness): void {
  const p = `/tmp/plans/production/${x.runner.digestOf('production')}.tfplan`;
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, 'plan');
}

async function planFromSlack(x: Harness, who: string = USERS.requester): Promise<FakeMessage> {
  x.runner.setPlan('production', summary);
  expect((await x.user.slash(who, 'plan production')).status).toBe(200);
  await settle(x);
  touchPlanFile(x);
  return approvalParents(x).at(-1)!;
}

describe('approval lifecycle: final and visible', () => {
  it('a denied digest stays denied after /infra plan and envc apply are run again (message and store)', async () => {
    const x = await start();
    const m = await planFromSlack(x);
    const digest = x.runner.digestOf('production');
    await x.user.slash(USERS.lead1, 'deny production not during the freeze');
    await settle(x);
    expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval denied for production/);

    // The same plan again from Slack: same digest, no new request, the message stays denied.
    await x.user.slash(USERS.requester, 'plan production');
    await settle(x);
    // ...and from the CLI: refused with its own code, nothing re-opened.
    const cli = await cliApply(x, USERS.requester);
    expect(cli).toMatchObject({
      status: 'refused',
      code: 'ENVC4019',
      message: `plan ${digest.slice(0, 12)} of production was denied by ${USERS.lead1} (not during the freeze); a denial is final for its digest`,
    });
    await settle(x);

    expect(approvalParents(x)).toHaveLength(1);
    const now = x.fake.message(m.channel, m.ts)!;
    expect(now.text).toMatch(/^Approval denied for production/);
    expect(buttons(now)).toEqual([ActionId.viewPlan]);
    // Once denied, the message never went back to pending (every later version says denied).
    const texts = now.history.map((v) => String(v.text));
    const firstDenied = texts.findIndex((t) => t.startsWith('Approval denied'));
    expect(firstDenied).toBeGreaterThan(-1);
    expect(texts.slice(firstDenied).every((t) => t.startsWith('Approval denied'))).toBe(true);
    expect(await store!.getApprovalRequest('production', digest)).toMatchObject({
      status: 'denied',
      deniedBy: USERS.lead1,
    });
    expect(await store!.listApprovalRequests({ env: 'production', status: 'pending' })).toEqual([]);
    // An approver trying the denied digest by command is refused.
    await x.user.slash(USERS.lead2, `approve production ${digest.slice(0, 12)}`);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/denied/);
    expect(await store!.listApprovals('production', digest)).toEqual([]);
  });

  it('a CI-path plan authored by an approver (verified OIDC identity) cannot be approved by that approver in Slack', async () => {
    const x = await start();
    const issuer = await startIssuer();
    try {
      // CI: the verified token says GitHub user lead-one, linked to the Slack user lead1.
      const who = await resolveCliIdentity(
        {},
        {
          ...issuer.env,
          ENVC_OIDC_TOKEN: await issuer.mint({ actor: 'lead-one' }),
          ENVC_IDENTITY_LINKS: JSON.stringify({ 'github:lead-one': USERS.lead1 }),
        },
        tmpdir(),
      );
      expect(who).toMatchObject({ ok: true, actor: USERS.lead1, verified: { id: 'github:lead-one' } });
      if (!who.ok) return;
      x.runner.setPlan('production', summary);
      await x.runner.plan('production', { actor: who.actor } as never);
      touchPlanFile(x);
      expect(await cliApply(x, who.actor)).toMatchObject({ status: 'awaiting-approval' });
      const m = approvalParents(x).at(-1)!;
      expect(JSON.stringify(m.blocks)).toContain(`<@${USERS.lead1}>`);

      const click = await x.user.click(USERS.lead1, x.fake.message(m.channel, m.ts)!, ActionId.approve);
      expect(click.status).toBe(200);
      await settle(x);
      expect(x.fake.ephemerals.at(-1)!.text).toMatch(/you requested this plan of production/);
      expect(await store!.listApprovals('production', x.runner.digestOf('production'))).toEqual([]);
      expect(x.fake.message(m.channel, m.ts)!.text).toMatch(/^Approval pending/);
    } finally {
      await issuer.close();
    }
  });

  it('a plan superseded from the CLI path redraws the old Slack message as superseded', async () => {
    const x = await start();
    const old = await planFromSlack(x);
    expect(buttons(x.fake.message(old.channel, old.ts)!)).toContain(ActionId.approve);
    // A newer plan made by CI, then `envc apply` asks for its approval.
    x.runner.setPlan('production', { ...summary, add: 2 });
    await x.runner.plan('production', { actor: 'github:octo-author' } as never);
    touchPlanFile(x);
    expect(await cliApply(x, 'github:octo-author')).toMatchObject({ status: 'awaiting-approval' });
    await settle(x);
    const redrawn = x.fake.message(old.channel, old.ts)!;
    expect(redrawn.text).toMatch(/^Approval superseded/);
    expect(buttons(redrawn)).toEqual([ActionId.viewPlan]);
    expect(approvalParents(x)).toHaveLength(2);
    expect(approvalParents(x).at(-1)!.text).toMatch(/^Approval pending/);
  });
});
