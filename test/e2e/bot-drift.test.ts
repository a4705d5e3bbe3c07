import { describe, expect, it } from 'vitest';
import { ActionId } from '../../src/bot/ids.js';
import driftJob from '../../src/bot/jobs/drift.js';
import { runTick } from '../../src/bot/jobs/scheduler.js';
import { DEFAULTS, settle, USERS } from '../support/slack/bot-harness.js';
import { harnessPerTest } from '../support/slack/harness-per-test.js';

/**
 * A drift incident's life in Slack: the scheduled check opens it (one parent message with Plan fix /
 * Acknowledge / Snooze 24h), later checks reply in its thread and update the parent, the resolution closes
 * it with what resolved it — and through all of it there is exactly one parent message.
 */
const start = harnessPerTest();

const minute = 60_000;

describe('drift incidents', () => {
  it('open → still drifting → changed → acknowledged → snoozed → resolved, with one parent message', async () => {
    const x = await start();
    const tick = async () => {
      x.clock.advance(minute);
      expect(await runTick(driftJob, x.deps, x.clock.now())).toBe('ok');
      await settle(x);
    };
    const incidents = () => x.fake.parents(DEFAULTS.channel.id).filter((m) => /^Drift/.test(String(m.text)));

    x.runner.drifts.set('staging', { fingerprint: 'fp-1', summary: { outOfBand: ['linode_firewall.main'] } });
    await tick();
    expect(incidents()).toHaveLength(1);
    const parent = incidents()[0]!;
    expect(parent.text).toBe('Drift detected in staging: 1 changed outside Terraform');
    expect(JSON.stringify(parent.blocks)).toMatch(
      /envc\.drift\.plan_fix.*envc\.drift\.ack.*envc\.drift\.snooze/,
    );
    expect(x.runner.calls.filter((c) => c.op === 'drift').map((c) => c.env)).toEqual([
      'system',
      'development',
      'staging',
      'production',
    ]);

    // The same drift again: a "still drifting" reply, parent updated in place.
    await tick();
    // It changed: a "changed" reply with the new details.
    x.runner.drifts.set('staging', {
      fingerprint: 'fp-2',
      summary: { outOfBand: ['linode_firewall.main'], unapplied: ['linode_lke_cluster.this'] },
    });
    await tick();
    const thread = () => x.fake.replies(parent.channel, parent.ts).map((m) => String(m.text));
    expect(thread()).toEqual(['Still drifting in staging (check 2)', 'Drift changed in staging']);
    expect(JSON.stringify(x.fake.message(parent.channel, parent.ts)!.blocks)).toContain('3 (last');

    // Acknowledge (twice: the second click changes nothing) and snooze.
    await x.user.click(USERS.oncall, x.fake.message(parent.channel, parent.ts)!, ActionId.driftAck);
    await settle(x);
    await x.user.click(USERS.lead1, x.fake.message(parent.channel, parent.ts)!, ActionId.driftAck);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toBe(`Already acknowledged by <@${USERS.oncall}>.`);
    expect(JSON.stringify(x.fake.message(parent.channel, parent.ts)!.blocks)).toContain(
      `Acknowledged by <@${USERS.oncall}>`,
    );
    await x.user.click(USERS.oncall, x.fake.message(parent.channel, parent.ts)!, ActionId.driftSnooze);
    await settle(x);
    expect(JSON.stringify(x.fake.message(parent.channel, parent.ts)!.blocks)).toContain('Snoozed until');
    // While snoozed an unchanged drift updates the parent but does not reply.
    await tick();
    expect(thread()).toEqual([
      'Still drifting in staging (check 2)',
      'Drift changed in staging',
      'Drift acknowledged in staging',
      'Drift alerts snoozed in staging',
    ]);

    // Someone applies; the next check finds no drift: resolved, with what resolved it.
    await x.deps.store.audit({
      actor: USERS.lead1,
      env: 'staging',
      action: 'event.applied',
      details: { digest: 'abcdef0123456789' },
      at: x.clock.now(),
    });
    x.runner.drifts.set('staging', 'clean');
    await tick();
    expect(thread().at(-1)).toBe('Drift resolved in staging');
    const final = x.fake.message(parent.channel, parent.ts)!;
    expect(final.text).toMatch(/^Drift resolved in staging/);
    expect(JSON.stringify(final.blocks)).toContain('resolved by the apply of `abcdef012345` by U0LEAD0001');
    expect(JSON.stringify(final.blocks)).not.toContain('envc.drift.ack');
    // A further clean check says nothing.
    await tick();
    expect(thread()).toHaveLength(5);
    expect(incidents()).toHaveLength(1);
    expect((await x.deps.store.listAudit({ action: 'drift.' })).map((a) => a.action).reverse()).toEqual([
      'drift.open',
      'drift.change',
      'drift.ack',
      'drift.snooze',
      'drift.resolve',
    ]);

    // A new drift later is a new incident: a second parent.
    x.runner.drifts.set('staging', {
      fingerprint: 'fp-3',
      summary: { staleFiles: ['generated/terraform/environments/staging/main.tf'] },
    });
    await tick();
    expect(incidents()).toHaveLength(2);
  });

  it('/infra drift runs a check now and Plan fix plans into the incident thread', async () => {
    const x = await start();
    x.runner.drifts.set('development', { fingerprint: 'fp-d', summary: { unapplied: ['terraform_data.a'] } });
    const r = await x.user.slash(USERS.oncall, 'drift development');
    expect(JSON.stringify(r.ack)).toContain('Checking development for drift');
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toBe(
      'development: drift (1 not yet applied) — see the incident thread',
    );
    const parent = x.fake
      .parents(DEFAULTS.channel.id)
      .find((m) => /^Drift detected in development/.test(String(m.text)))!;

    x.runner.setPlan('development', {
      add: 1,
      change: 0,
      destroy: 0,
      resources: [{ address: 'terraform_data.a', action: 'create' }],
    });
    await x.user.click(USERS.oncall, parent, ActionId.driftPlanFix);
    await x.user.click(USERS.oncall, parent, ActionId.driftPlanFix);
    await settle(x);
    // The double click planned once; the result is in the incident's thread.
    expect(x.runner.calls.filter((c) => c.op === 'plan')).toHaveLength(1);
    expect(x.fake.replies(parent.channel, parent.ts).map((m) => String(m.text))).toEqual([
      expect.stringMatching(/^Plan for development: \+1 ~0 -0/),
    ]);
    expect(x.fake.parents(DEFAULTS.channel.id)).toHaveLength(1);
  });
});
