import { describe, expect, it } from 'vitest';
import { ActionId } from '../../src/bot/ids.js';
import { DEFAULTS, settle, USERS } from '../support/slack/bot-harness.js';
import { harnessPerTest } from '../support/slack/harness-per-test.js';

/**
 * Socket Mode: Bolt's real SocketModeReceiver asks apps.connections.open (app-level token) at the fake's
 * Web API for a single-use WebSocket URL, gets `hello`, and acks each envelope by its envelope_id; a
 * `disconnect` makes it reconnect through a new URL.
 */
const start = harnessPerTest();

describe('Socket Mode', () => {
  it('connects with the app token, acks slash commands and interactions by envelope_id, and survives a refresh', async () => {
    const x = await start({ mode: 'socket' });

    // The connection was opened with the app-level token, not the bot token.
    const open = x.fake.okCalls('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(x.fake.socket.connectionsAccepted).toBe(1);

    // A slash command: the ack frame carries the ephemeral reply as its payload.
    const help = await x.user.slash(USERS.outsider, 'help');
    expect(help.ack).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/infra usage: help, status, plan'),
    });
    const ackFrame = x.fake.socket.received.at(-1)!;
    expect(Object.keys(ackFrame).sort()).toEqual(['envelope_id', 'payload']);

    // A command whose work continues after the ack, and an interactive envelope on the message it posts.
    x.runner.setPlan('production', {
      add: 1,
      change: 0,
      destroy: 0,
      resources: [{ address: 'terraform_data.a', action: 'create' }],
    });
    await x.user.slash(USERS.requester, 'plan production');
    await settle(x);
    const approval = x.fake.parents(DEFAULTS.channel.id).find((m) => String(m.text).startsWith('Approval'))!;
    const click = await x.user.click(USERS.outsider, approval, ActionId.approve);
    expect(click.status).toBe(200);
    await settle(x);
    expect(x.fake.ephemerals.at(-1)!.text).toMatch(/not an approver/);

    // Slack recycles the connection: disconnect → the client asks for a new URL and reconnects.
    x.fake.socket.disconnectAll('refresh_requested');
    await x.fake.waitFor(
      () => x.fake.socket.connectionsAccepted === 2 && x.fake.socket.connections === 1,
      'the reconnect',
    );
    expect(x.fake.okCalls('apps.connections.open')).toHaveLength(2);

    // The new connection works: a button click opens the confirmation modal.
    const views = x.fake.okCalls('views.open').length;
    await x.user.click(USERS.lead1, approval, ActionId.approve);
    await x.fake.waitFor(
      () => x.fake.okCalls('views.open').length > views,
      'the modal over the new connection',
    );
    const viewId = String((x.fake.okCalls('views.open').at(-1)!.response.view as { id: string }).id);
    const submitted = await x.user.submit(USERS.lead1, viewId);
    expect(submitted.status).toBe(200);
    await x.fake.waitFor(() => x.runner.calls.some((c) => c.op === 'apply'), 'the apply');
    await settle(x);
    expect(x.fake.message(approval.channel, approval.ts)!.text).toMatch(/^Approval applied for production/);
    // Every envelope was acked exactly once, and only envelopes were acked.
    expect(x.fake.socket.strayAcks).toEqual([]);
  });

  it('serves health and metrics on its own port in Socket Mode', async () => {
    const h = await start({ mode: 'socket' });
    const base = `http://127.0.0.1:${h.bot.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('# TYPE envc_bot_commands_total counter');
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
