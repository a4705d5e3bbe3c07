/**
 * Rotation through the real bot: `/infra rotate` in an environment that needs approval (the request message,
 * refused self-approval, the approver's click runs it in the same thread), `/infra rotate status`, the
 * scheduled rotation job, and the freshness gauges on /metrics.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bot } from '../../src/bot/app.js';
import { RotationActionId } from '../../src/bot/blocks/rotation.js';
import rotationJob, { rotationRevocations } from '../../src/bot/jobs/rotation.js';
import { memoryLog } from '../../src/bot/log.js';
import { Redactor } from '../../src/redact.js';
import { DEFAULTS } from '../support/slack/fake-slack.js';
import type { SlackUser } from '../support/slack/user.js';
import { leaks, startTestBot, startWorld, USERS, type World } from './rotation.harness.js';

const SECRET = 'rotation-bot-signing-secret-42';
vi.setConfig({ testTimeout: 180_000 });

let w: World;
let bot: Bot;
let user: SlackUser;
const log = memoryLog(new Redactor([DEFAULTS.botToken, SECRET]));

beforeAll(async () => {
  w = await startWorld(['production', 'staging']);
  ({ bot, user } = await startTestBot(w, log, SECRET));
});
afterAll(async () => {
  await bot?.stop();
  await w?.close();
});

const parentOf = (needle: string) =>
  w.slack.parents('#platform-infra').find((m) => JSON.stringify(m.blocks ?? []).includes(needle));

describe('/infra rotate', () => {
  it('asks for approval in staging, refuses the requester, and runs in the thread when an approver clicks', async () => {
    const n = w.slack.ephemerals.length;
    await user.slash(USERS.alice, 'rotate session-key staging suspected leak');
    const reply = await w.slack.waitFor(
      () => w.slack.ephemerals.slice(n).find((e) => e.user === USERS.alice),
      'reply',
      30_000,
    );
    expect(reply.text).toContain('Waiting for approval');
    const request = await w.slack.waitFor(
      () => parentOf(RotationActionId.approve),
      'request message',
      30_000,
    );
    expect(JSON.stringify(request.blocks)).toContain('suspected leak');

    const m = w.slack.ephemerals.length;
    await user.click(USERS.alice, request, RotationActionId.approve);
    const refused = await w.slack.waitFor(
      () => w.slack.ephemerals.slice(m).find((e) => e.user === USERS.alice),
      'refusal',
      30_000,
    );
    expect(refused.text).toContain('cannot approve your own');
    expect(w.clusters.staging!.secretValue('team-a', 'session-key', 'value')).toBeUndefined();

    await user.click(USERS.bob, request, RotationActionId.approve);
    await w.slack.waitFor(
      () => (w.slack.message(request.channel, request.ts)?.text ?? '').includes('succeeded'),
      'rotation done',
      60_000,
    );
    const value = w.clusters.staging!.secretValue('team-a', 'session-key', 'value')!;
    expect(value).toHaveLength(64);
    const replies = w.slack.replies(request.channel, request.ts).map((r) => r.text ?? '');
    expect(replies.join('\n')).toMatch(/Approved by|Started by/);
    expect(replies.some((r) => r.startsWith('seal:'))).toBe(true);
    expect(replies.some((r) => r.startsWith('rollout:'))).toBe(true);
    // Only one parent for this rotation: the request message became the rotation's thread.
    expect(
      w.slack.parents('#platform-infra').filter((p) => (p.text ?? '').includes('session-key in staging')),
    ).toHaveLength(1);
    expect(
      leaks(
        [value],
        [
          { where: 'slack', text: JSON.stringify(w.slack.calls) },
          { where: 'log', text: JSON.stringify(log.lines) },
        ],
      ),
    ).toEqual([]);
  });

  it('status lists due times; a bad secret name is a usage message', async () => {
    let n = w.slack.ephemerals.length;
    await user.slash(USERS.carol, 'rotate status staging');
    const status = await w.slack.waitFor(
      () => w.slack.ephemerals.slice(n).find((e) => e.user === USERS.carol),
      'status',
      30_000,
    );
    expect(JSON.stringify(status.blocks)).toMatch(
      /staging\/session-key\* — rotated 2026-11-26T09:00:00.000Z; due 2026-12-26T09:00:00.000Z/,
    );
    expect(JSON.stringify(status.blocks)).toContain('staging/app-db* — never rotated by envc; *due now*');
    n = w.slack.ephemerals.length;
    const d = await user.slash(USERS.carol, 'rotate nope staging');
    expect(JSON.stringify(d.ack)).toContain('unknown secret \\"nope\\"');
  });
});

describe('scheduled rotation job', () => {
  it('rotates every due secret without approval, one thread each, and the gauges show their age', async () => {
    w.clock.now = new Date('2026-11-27T09:00:00Z');
    const r = await rotationJob.run(bot.deps, w.clock.now);
    // staging: app-db, objstore-key and redis-credentials due (session-key was rotated yesterday); production:
    // all four. development has no cluster in this test: its three rotations fail at preflight, before anything
    // changed.
    expect(r).toMatchObject({ success: 7, failure: 0, error: 3 });
    const dev = await w.store.listRotations({ env: 'development' });
    expect(dev.map((x) => [x.status, x.error?.split(':')[0]])).toEqual([
      ['failed', 'preflight'],
      ['failed', 'preflight'],
      ['failed', 'preflight'],
    ]);
    expect(w.linode.keys().some((k) => k.label.includes('development'))).toBe(false);
    expect(w.clusters.production!.secretValue('team-a', 'app-db', 'password')).toBeDefined();
    const threads = w.slack
      .parents('#platform-infra')
      .filter((p) => (p.text ?? '').startsWith('Secret rotation'));
    expect(threads.filter((t) => (t.text ?? '').endsWith('succeeded'))).toHaveLength(8);
    expect(threads.filter((t) => (t.text ?? '').endsWith('failed'))).toHaveLength(3);
    const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    expect(metrics).toContain('envc_secret_age_seconds{environment="staging",secret="session-key"} 86400');
    expect(metrics).toContain(
      'envc_secret_rotation_due_timestamp_seconds{environment="production",secret="objstore-key"} 1798362000',
    );
    // Nothing due any more; revocations wait for the grace period.
    expect(await rotationJob.run(bot.deps, w.clock.now)).toMatchObject({ success: 0 });
    expect(await rotationRevocations.run(bot.deps, w.clock.now)).toMatchObject({ revoked: 0 });
  });
});
