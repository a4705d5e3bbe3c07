import { afterEach, describe, expect, it } from 'vitest';
import type { ArgoSync } from '../../src/bot/argo.js';
import { slackNotifierFromEnv } from '../../src/bot/notifier.js';
import type { Notifier } from '../../src/runner/events.js';
import type { Store } from '../../src/store/types.js';
import { defaultModel } from '../support/model.js';
import { defaultSlackOptions, GROUPS, USERS } from '../support/slack/bot-harness.js';
import { DEFAULTS, FakeSlack } from '../support/slack/index.js';
import { openTestStore } from '../support/store.js';

/**
 * The runner's Slack notifier as a CLI/CI run uses it (no Bolt receiver, SLACK_BOT_TOKEN in the
 * environment): awaiting-approval posts the approval message the bot's buttons act on, applied updates it
 * in place, and drift events keep one thread per incident.
 */
let fake: FakeSlack | undefined;
let store: Store | undefined;

afterEach(async () => {
  if (fake) {
    expect(fake.rejectedCalls()).toEqual([]);
    expect(fake.warnings).toEqual([]);
  }
  await fake?.close();
  await store?.close();
  fake = undefined;
  store = undefined;
});

const counts = { add: 1, change: 0, destroy: 0, replace: 0 };
const digest = 'c0ffee'.repeat(10) + 'abcd';

async function setup(argo?: ArgoSync): Promise<Notifier> {
  fake = await FakeSlack.start(defaultSlackOptions());
  store = (await openTestStore()).store;
  const n = await slackNotifierFromEnv({
    env: {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
      ENVC_SLACK_USERGROUPS: `platform-leads=${GROUPS.leads}`,
    },
    store,
    model: await defaultModel(),
    ...(argo ? { argo } : {}),
    sink: () => {},
  });
  if (!n) throw new Error('no notifier');
  return n;
}

describe('Slack notifier for runner events', () => {
  it('is absent without SLACK_BOT_TOKEN (events go to the terminal and the audit log only)', async () => {
    store = (await openTestStore()).store;
    expect(await slackNotifierFromEnv({ env: {}, store, model: await defaultModel() })).toBeUndefined();
  });

  it('posts the approval request of a waiting CI apply, shows the status the runner recorded and syncs ArgoCD to the recorded revision', async () => {
    const synced: Array<{ env: string; revision: string }> = [];
    const n = await setup({
      syncApplications: async (env, revision) => {
        synced.push({ env, revision });
        return { applications: ['production-platform'], failed: [] };
      },
    });
    const at = new Date();
    await store!.recordPlan({
      env: 'production',
      digest,
      summary: {
        counts,
        hasChanges: true,
        resources: [
          { address: 'terraform_data.cluster', type: 'terraform_data', action: 'create', protected: false },
        ],
        protectedDestroys: [],
      },
      planPath: '/tmp/x.tfplan',
      createdBy: 'ci:github',
      revision: 'feedc0de00112233445566778899aabbccddeeff',
    });
    await store!.requestApproval({
      env: 'production',
      digest,
      requester: 'ci:github',
      expiresAt: new Date(at.getTime() + 3600_000),
    });
    await n.notify({
      type: 'awaiting-approval',
      env: 'production',
      actor: 'ci:github',
      at,
      digest,
      requester: 'ci:github',
      counts,
      approveCommand: '/infra approve production c0ffee',
      expiresAt: new Date(at.getTime() + 3600_000),
      reasons: [],
    });
    const parents = fake!.parents(DEFAULTS.channel.id);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.text).toMatch(/^Approval pending for production: \+1 ~0 -0 .* requested by ci:github/);
    expect(JSON.stringify(parents[0]!.blocks)).toContain('envc.approval.approve');

    // An approver approved through the bot, CI applied.
    await store!.addApproval({
      env: 'production',
      digest,
      approver: USERS.lead1,
      requester: 'ci:github',
      via: 'slack',
      expiresAt: new Date(at.getTime() + 3600_000),
    });
    const ids = (await store!.listApprovals('production', digest)).map((a) => a.id);
    expect(
      await store!.consumeApprovals({
        env: 'production',
        digest,
        approvalIds: ids,
        minApprovals: 1,
        actor: 'ci:github',
      }),
    ).toHaveLength(1);
    // What the runner records: the status, no audit entry needed for the message to show it.
    await store!.recordApplyOutcome({ env: 'production', digest, outcome: 'applied' });
    await n.notify({
      type: 'applied',
      env: 'production',
      actor: 'ci:github',
      at: new Date(),
      digest,
      counts,
      kind: 'plan',
      durationMs: 1234,
    });
    expect(fake!.parents(DEFAULTS.channel.id)).toHaveLength(1);
    const m = fake!.message(parents[0]!.channel, parents[0]!.ts)!;
    expect(m.text).toMatch(/^Approval applied for production/);
    expect(JSON.stringify(m.blocks)).toContain(`Approved by <@${USERS.lead1}>`);
    expect(fake!.replies(m.channel, m.ts).map((r) => r.text)).toEqual([
      'Applied c0ffeec0ffee to production (ci:github, 1.2 s)',
      ':arrowscounterclockwise: ArgoCD sync of production-platform started at revision feedc0de0011',
    ]);
    expect(synced).toEqual([{ env: 'production', revision: 'feedc0de00112233445566778899aabbccddeeff' }]);
  });

  it('a failed CI apply: the parent shows the error the runner recorded on the request', async () => {
    const n = await setup();
    const at = new Date();
    await store!.recordPlan({
      env: 'production',
      digest,
      summary: { counts, hasChanges: true, resources: [], protectedDestroys: [] },
      planPath: '/tmp/x.tfplan',
      createdBy: 'ci:github',
    });
    await store!.requestApproval({
      env: 'production',
      digest,
      requester: 'ci:github',
      expiresAt: new Date(at.getTime() + 3600_000),
    });
    const a = await store!.addApproval({
      env: 'production',
      digest,
      approver: USERS.lead1,
      requester: 'ci:github',
      via: 'slack',
      expiresAt: new Date(at.getTime() + 3600_000),
    });
    await store!.consumeApprovals({ env: 'production', digest, approvalIds: [a.id], minApprovals: 1 });
    await store!.recordApplyOutcome({
      env: 'production',
      digest,
      outcome: 'failed',
      error: 'terraform apply exited 1: Error: quota exceeded',
    });
    await n.notify({
      type: 'failed',
      env: 'production',
      actor: 'ci:github',
      at: new Date(),
      stage: 'apply',
      message: 'terraform apply exited 1: Error: quota exceeded',
      digest,
    });
    const parents = fake!.parents(DEFAULTS.channel.id);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.text).toMatch(/^Approval failed for production/);
    expect(JSON.stringify(parents[0]!.blocks)).toContain(
      'Apply failed: terraform apply exited 1: Error: quota exceeded',
    );
    expect(fake!.replies(parents[0]!.channel, parents[0]!.ts).map((r) => r.text)).toEqual([
      'apply of c0ffeec0ffee failed: terraform apply exited 1: Error: quota exceeded',
    ]);
  });

  it('keeps one thread per drift incident: found → found again → resolved', async () => {
    const n = await setup();
    const up = await store!.openOrUpdateIncident({
      env: 'staging',
      fingerprint: 'fp',
      summary: { infrastructure: ['terraform_data.firewall (update)'], unapplied: [], staleFiles: [] },
    });
    const base = {
      env: 'staging',
      actor: 'ci:github',
      fingerprint: 'fp',
      incidentId: up.incident.id,
      infrastructure: ['terraform_data.firewall (update)'],
      unapplied: [],
      staleFiles: [],
    };
    await n.notify({ type: 'drift-found', at: new Date(), isNew: true, changed: false, ...base });
    const again = await store!.openOrUpdateIncident({
      env: 'staging',
      fingerprint: 'fp',
      summary: { infrastructure: ['terraform_data.firewall (update)'] },
    });
    await n.notify({
      type: 'drift-found',
      at: new Date(),
      isNew: again.isNew,
      changed: again.changed,
      ...base,
    });
    await store!.resolveIncident(up.incident.id, { actor: 'ci:github' });
    await n.notify({
      type: 'drift-resolved',
      env: 'staging',
      actor: 'ci:github',
      at: new Date(),
      incidentId: up.incident.id,
    });
    const parents = fake!.parents(DEFAULTS.channel.id);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.text).toMatch(/^Drift resolved in staging/);
    expect(fake!.replies(parents[0]!.channel, parents[0]!.ts).map((r) => r.text)).toEqual([
      'Still drifting in staging (check 2)',
      'Drift resolved in staging',
    ]);
  });
});
