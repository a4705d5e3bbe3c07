import { DEFAULTS, type FakeMessage, type FakeSlack } from './fake-slack.js';
import { formBody, interactionBody, postSigned, type SignOptions } from './signing.js';

/**
 * Plays the Slack client: a person typing `/infra ...`, clicking a button that the bot really posted, or
 * submitting a modal the bot really opened. Deliveries go to the bot over signed HTTP (Bolt's HTTPReceiver)
 * or as Socket Mode envelopes; trigger ids and response_urls are issued by the fake so views.open and
 * respond() are checked too.
 */
export type Transport = { kind: 'http'; url: string; secret: string } | { kind: 'socket' };

export interface Delivery {
  /** HTTP status (socket: 200 when acked). */
  status: number;
  /** The ack body: parsed JSON when there is one, else the raw text (HTTP) / ack payload (socket). */
  ack: unknown;
  rawBody: string;
  triggerId: string;
  responseUrl?: string;
}

export class SlackUser {
  constructor(
    private fake: FakeSlack,
    private transport: Transport,
  ) {}

  async slash(
    user: string,
    text: string,
    opts: { channel?: string; command?: string; sign?: SignOptions } = {},
  ): Promise<Delivery> {
    const channel = opts.channel ?? DEFAULTS.channel.id;
    const triggerId = this.fake.newTriggerId(user);
    const responseUrl = this.fake.newResponseUrl(channel, user);
    const fields: Record<string, string> = {
      token: 'deprecated-verification-token',
      team_id: DEFAULTS.teamId,
      team_domain: 'acme',
      channel_id: channel,
      channel_name: 'platform-infra',
      user_id: user,
      user_name: this.fake.users[user]?.name ?? user.toLowerCase(),
      command: opts.command ?? '/infra',
      text,
      api_app_id: DEFAULTS.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    if (this.transport.kind === 'socket') {
      const ack = await this.fake.socket.send('slash_commands', fields, { acceptsResponsePayload: true });
      return { status: 200, ack: ack.payload, rawBody: JSON.stringify(fields), triggerId, responseUrl };
    }
    return this.deliver(formBody(fields), triggerId, opts.sign, responseUrl);
  }

  /** Clicks the button `actionId` of a message the bot posted. */
  async click(
    user: string,
    message: FakeMessage,
    actionId: string,
    opts: { sign?: SignOptions } = {},
  ): Promise<Delivery> {
    const found = findButton(message.blocks ?? [], actionId);
    if (!found) throw new Error(`message ${message.ts} has no button ${actionId}`);
    const triggerId = this.fake.newTriggerId(user);
    const responseUrl = this.fake.newResponseUrl(message.channel, user, {
      channel: message.channel,
      ts: message.ts,
    });
    const payload = {
      type: 'block_actions',
      user: {
        id: user,
        username: this.fake.users[user]?.name ?? user.toLowerCase(),
        team_id: DEFAULTS.teamId,
      },
      api_app_id: DEFAULTS.appId,
      token: 'deprecated-verification-token',
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: false,
      },
      trigger_id: triggerId,
      team: { id: DEFAULTS.teamId, domain: 'acme' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channel, name: 'platform-infra' },
      message: {
        type: 'message',
        ts: message.ts,
        text: message.text,
        user: message.user,
        bot_id: message.bot_id,
        blocks: message.blocks,
        thread_ts: message.thread_ts,
      },
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: found.blockId,
          text: found.button.text,
          value: found.button.value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    if (this.transport.kind === 'socket') {
      const ack = await this.fake.socket.send('interactive', payload, { acceptsResponsePayload: true });
      return { status: 200, ack: ack.payload, rawBody: JSON.stringify(payload), triggerId, responseUrl };
    }
    return this.deliver(interactionBody(payload), triggerId, opts.sign, responseUrl);
  }

  /**
   * Submits a modal the bot opened; `values` fills its inputs: `{ [block_id]: { [action_id]: value } }`.
   */
  async submit(
    user: string,
    viewId: string,
    values: Record<string, Record<string, string>> = {},
    opts: { sign?: SignOptions } = {},
  ): Promise<Delivery> {
    const v = this.fake.views.get(viewId);
    if (!v) throw new Error(`no view ${viewId}`);
    const state: Record<string, Record<string, unknown>> = {};
    for (const [blockId, actions] of Object.entries(values)) {
      state[blockId] = Object.fromEntries(
        Object.entries(actions).map(([a, value]) => [a, { type: 'plain_text_input', value }]),
      );
    }
    const triggerId = this.fake.newTriggerId(user);
    const payload = {
      type: 'view_submission',
      team: { id: DEFAULTS.teamId, domain: 'acme' },
      user: {
        id: user,
        username: this.fake.users[user]?.name ?? user.toLowerCase(),
        team_id: DEFAULTS.teamId,
      },
      api_app_id: DEFAULTS.appId,
      token: 'deprecated-verification-token',
      trigger_id: triggerId,
      view: {
        id: v.id,
        team_id: DEFAULTS.teamId,
        type: v.view.type,
        blocks: v.view.blocks,
        private_metadata: v.view.private_metadata ?? '',
        callback_id: v.view.callback_id ?? '',
        state: { values: state },
        hash: v.hash,
        title: v.view.title,
        root_view_id: v.id,
        app_id: DEFAULTS.appId,
        bot_id: DEFAULTS.botId,
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    if (this.transport.kind === 'socket') {
      const ack = await this.fake.socket.send('interactive', payload, { acceptsResponsePayload: true });
      return { status: 200, ack: ack.payload, rawBody: JSON.stringify(payload), triggerId };
    }
    return this.deliver(interactionBody(payload), triggerId, opts.sign);
  }

  /** Re-sends a raw body (a Slack retry or a replay), signed anew with `sign` options. */
  async resend(rawBody: string, sign: SignOptions = {}): Promise<{ status: number; body: string }> {
    if (this.transport.kind !== 'http') throw new Error('resend is for the HTTP transport');
    const r = await postSigned(this.transport.url, this.transport.secret, rawBody, sign);
    return { status: r.status, body: r.body };
  }

  private async deliver(
    rawBody: string,
    triggerId: string,
    sign: SignOptions | undefined,
    responseUrl?: string,
  ): Promise<Delivery> {
    if (this.transport.kind !== 'http') throw new Error('unreachable');
    const r = await postSigned(this.transport.url, this.transport.secret, rawBody, sign);
    let ack: unknown = r.body;
    if (r.body && (r.headers.get('content-type') ?? '').includes('json')) ack = JSON.parse(r.body);
    return { status: r.status, ack, rawBody, triggerId, responseUrl };
  }
}

function findButton(
  blocks: Array<Record<string, unknown>>,
  actionId: string,
): { blockId: string; button: Record<string, unknown> } | undefined {
  for (const b of blocks) {
    const elements = (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []) as Array<
      Record<string, unknown>
    >;
    for (const e of elements)
      if (e.action_id === actionId) return { blockId: String(b.block_id ?? ''), button: e };
  }
  return undefined;
}
