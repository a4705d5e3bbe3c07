import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../compiler/package-root.js';
import { checkMessage, checkView, type Problem } from './block-kit.js';
import { FakeSocketMode } from './socket-mode.js';
import { checkCall, missingResponseFields, type TokenInfo } from './web-api.js';

/**
 * A local Slack: the Web API (every call checked against shared/reference/slack and recorded), response_url
 * endpoints (5 uses in 30 minutes), trigger ids (single use, short-lived) and a Socket Mode WebSocket server.
 * It rejects like Slack does — `{ok:false, error}` with HTTP 200, 429 with Retry-After when asked to — so a
 * bot that passes here sends what Slack accepts.
 */
export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot user is in it (else chat.postMessage answers not_in_channel). */
  botIsMember?: boolean;
}

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** Scopes of the bot token; default: the bot scopes of docs/slack-app-manifest.yaml. */
  botScopes?: string[];
  channels?: FakeChannel[];
  users?: Record<string, { name: string; real_name?: string; email?: string }>;
  usergroups?: Record<string, string[]>;
  /** How long a trigger_id stays usable (Slack: 3 s). */
  triggerTtlMs?: number;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered. */
  response: Record<string, unknown>;
  status: number;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  metadata?: unknown;
  user: string;
  bot_id: string;
  /** Every version of the message, oldest first (chat.update / replace_original append). */
  history: Array<{ text?: string; blocks?: unknown[] }>;
}

export interface EphemeralMessage {
  channel: string;
  user?: string;
  text?: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url';
  response_type?: string;
  thread_ts?: string;
}

export interface FakeView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  user?: string;
  history: Array<Record<string, unknown>>;
}

interface ResponseUrl {
  id: string;
  uses: number;
  createdAt: number;
  channel: string;
  user?: string;
  message?: { channel: string; ts: string };
}

export const DEFAULTS = {
  botToken: 'xoxb-1111-2222-fakebottoken',
  appToken: 'xapp-1-A0ENVCBOT-3333-fakeapptoken',
  teamId: 'T0ENVCTEAM',
  botUserId: 'U0ENVCBOT1',
  botId: 'B0ENVCBOT1',
  appId: 'A0ENVCBOT1',
  channel: { id: 'C0PLATINFRA', name: 'platform-infra', botIsMember: true } as FakeChannel,
};

/** The bot scopes the app manifest asks for: the fake grants exactly these, so a missing scope shows. */
export function manifestBotScopes(): string[] {
  const manifest = parseYaml(readFileSync(packagePath('docs/slack-app-manifest.yaml'), 'utf8'));
  return manifest?.oauth_config?.scopes?.bot ?? [];
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, FakeView>();
  /** Things Slack accepts but a careful app should not do (truncated text, blocks without fallback text). */
  readonly warnings: Array<Problem & { method: string }> = [];
  readonly socket: FakeSocketMode;
  readonly channels: FakeChannel[];
  readonly users: Record<string, { name: string; real_name?: string; email?: string }>;
  readonly usergroups: Record<string, string[]>;
  readonly tokens = new Map<string, TokenInfo>();
  readonly botToken: string;
  readonly appToken: string;
  private server: Server;
  private port = 0;
  private seq = 0;
  private triggers = new Map<string, { issuedAt: number; used: boolean; user?: string }>();
  private responseUrls = new Map<string, ResponseUrl>();
  private rateLimits = new Map<string, { times: number; retryAfter: number }>();
  private failures = new Map<string, string[]>();
  private triggerTtlMs: number;

  private constructor(opts: FakeSlackOptions) {
    this.botToken = opts.botToken ?? DEFAULTS.botToken;
    this.appToken = opts.appToken ?? DEFAULTS.appToken;
    this.tokens.set(this.botToken, { type: 'bot', scopes: opts.botScopes ?? manifestBotScopes() });
    this.tokens.set(this.appToken, { type: 'app', scopes: ['connections:write'] });
    this.channels = opts.channels ?? [DEFAULTS.channel];
    this.users = opts.users ?? {};
    this.usergroups = opts.usergroups ?? {};
    this.triggerTtlMs = opts.triggerTtlMs ?? 3000;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    this.socket = new FakeSocketMode(this.server, DEFAULTS.appId);
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Origin of the server, e.g. http://127.0.0.1:41234 */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What SLACK_API_URL / clientOptions.slackApiUrl should be. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  // ---- test controls ---------------------------------------------------------------------------------

  /** A trigger_id as Slack puts in an interaction; views.open accepts it once, within the TTL. */
  newTriggerId(user?: string): string {
    const id = `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, user });
    return id;
  }

  /** A response_url for a slash command (channel) or a message interaction (channel + message ts). */
  newResponseUrl(channel: string, user?: string, message?: { channel: string; ts: string }): string {
    const id = randomUUID();
    this.responseUrls.set(id, { id, uses: 0, createdAt: Date.now(), channel, user, message });
    return `${this.origin}/commands/${DEFAULTS.teamId}/${id}`;
  }

  /** The next `times` calls of `method` get 429 with Retry-After: retryAfter (seconds). */
  rateLimitNext(method: string, retryAfter = 1, times = 1): void {
    this.rateLimits.set(method, { times, retryAfter });
  }

  /** The next call of `method` answers `{ok:false, error}`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls of a method. */
  okCalls(method: string): RecordedCall[] {
    return this.callsTo(method).filter((c) => c.response.ok === true);
  }

  /** Rejected calls (any method): a bot under test should have none unless a test provokes them. */
  rejectedCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.response.ok !== true);
  }

  channelId(ref: string): string | undefined {
    const name = ref.replace(/^#/, '');
    return this.channels.find((c) => c.id === ref || c.name === name)?.id;
  }

  /** Top-level messages of a channel (not thread replies), oldest first. */
  parents(channel: string): FakeMessage[] {
    const id = this.channelId(channel) ?? channel;
    return this.messages.filter(
      (m) => m.channel === id && (m.thread_ts === undefined || m.thread_ts === m.ts),
    );
  }

  replies(channel: string, ts: string): FakeMessage[] {
    const id = this.channelId(channel) ?? channel;
    return this.messages.filter((m) => m.channel === id && m.thread_ts === ts && m.ts !== ts);
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    const id = this.channelId(channel) ?? channel;
    return this.messages.find((m) => m.channel === id && m.ts === ts);
  }

  /** Resolves once `predicate` holds (polled), or rejects with `what` after `timeoutMs`. */
  async waitFor<T>(
    predicate: () => T | undefined | false | null,
    what = 'condition',
    timeoutMs = 10_000,
  ): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) return this.handleApi(url, req, raw, res);
    if (url.pathname.startsWith('/commands/')) return this.handleResponseUrl(url, req, raw, res);
    res.writeHead(404);
    res.end();
  }

  private async handleApi(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const method = url.pathname.slice('/api/'.length);
    const contentType = String(req.headers['content-type'] ?? '');
    const isJsonBody = contentType.startsWith('application/json');
    let args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST') {
      if (isJsonBody) {
        try {
          const body = JSON.parse(raw || '{}');
          if (typeof body !== 'object' || body === null || Array.isArray(body))
            return this.reply(res, method, {}, 200, { ok: false, error: 'json_not_object' });
          args = { ...args, ...body };
        } catch {
          return this.reply(res, method, {}, 200, { ok: false, error: 'invalid_json' });
        }
      } else {
        args = { ...args, ...Object.fromEntries(new URLSearchParams(raw)) };
      }
    }
    const limited = this.rateLimits.get(method);
    if (limited && limited.times > 0) {
      limited.times -= 1;
      this.record(method, args, 429, { ok: false, error: 'ratelimited' });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited.retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const check = checkCall(
      {
        method,
        httpMethod: req.method ?? 'GET',
        contentType,
        authorization: req.headers.authorization,
        args,
        isJsonBody,
      },
      this.tokens,
    );
    if (!check.ok) return this.reply(res, method, args, check.status, check.body);
    const injected = this.failures.get(method)?.shift();
    if (injected) return this.reply(res, method, check.args, 200, { ok: false, error: injected });
    const body = this.dispatch(method, check.args);
    if (body.ok === true) {
      const missing = missingResponseFields(method, body);
      if (missing.length > 0)
        throw new Error(`fake Slack bug: ${method} response lacks ${missing.join(', ')}`);
    }
    return this.reply(res, method, check.args, 200, body);
  }

  private reply(
    res: ServerResponse,
    method: string,
    args: Record<string, unknown>,
    status: number,
    body: Record<string, unknown>,
  ): void {
    this.record(method, args, status, body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private record(
    method: string,
    args: Record<string, unknown>,
    status: number,
    response: Record<string, unknown>,
  ): void {
    const { token: _t, ...safe } = args;
    this.calls.push({ method, args: safe, response, status, at: Date.now() });
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private dispatch(method: string, a: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'acme',
          user: 'envc',
          team_id: DEFAULTS.teamId,
          user_id: DEFAULTS.botUserId,
          bot_id: DEFAULTS.botId,
          app_id: DEFAULTS.appId,
          is_enterprise_install: false,
        };
      case 'apps.connections.open':
        return { ok: true, url: this.socket.newUrl(this.origin) };
      case 'chat.postMessage':
        return this.postMessage(a);
      case 'chat.update':
        return this.update(a);
      case 'chat.postEphemeral': {
        const channel = this.channelId(String(a.channel));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const content = this.content('chat.postEphemeral', a);
        if ('error' in content) return content.error;
        this.ephemerals.push({
          channel,
          user: String(a.user),
          text: a.text as string,
          blocks: a.blocks as unknown[],
          via: 'chat.postEphemeral',
          thread_ts: a.thread_ts as string | undefined,
        });
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.getPermalink': {
        const m = this.message(String(a.channel), String(a.message_ts));
        if (!m) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel: m.channel,
          permalink: `https://acme.slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}`,
        };
      }
      case 'views.open':
        return this.viewsOpen(a);
      case 'views.update': {
        const existing = a.view_id
          ? this.views.get(String(a.view_id))
          : [...this.views.values()].find((v) => v.view.external_id === a.external_id);
        if (!existing) return { ok: false, error: 'not_found' };
        if (a.hash !== undefined && a.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
        const problems = checkView(a.view);
        if (problems.length > 0) return invalidArguments(problems);
        existing.view = a.view as Record<string, unknown>;
        existing.hash = randomBytes(8).toString('hex');
        existing.history.push(existing.view);
        return { ok: true, view: this.viewResponse(existing) };
      }
      case 'views.publish': {
        const problems = checkView(a.view);
        if (problems.length > 0) return invalidArguments(problems);
        const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
        const v: FakeView = {
          id,
          hash: randomBytes(8).toString('hex'),
          view: a.view as Record<string, unknown>,
          user: String(a.user_id),
          history: [a.view as Record<string, unknown>],
        };
        this.views.set(id, v);
        return { ok: true, view: this.viewResponse(v) };
      }
      case 'users.info': {
        const u = this.users[String(a.user)];
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: a.user,
            team_id: DEFAULTS.teamId,
            name: u.name,
            real_name: u.real_name ?? u.name,
            deleted: false,
            is_bot: false,
            profile: { display_name: u.name, real_name: u.real_name ?? u.name, email: u.email },
          },
        };
      }
      case 'users.lookupByEmail': {
        const entry = Object.entries(this.users).find(([, u]) => u.email === a.email);
        if (!entry) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: entry[0], name: entry[1].name, profile: { email: entry[1].email } } };
      }
      case 'usergroups.users.list': {
        const users = this.usergroups[String(a.usergroup)];
        if (!users) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users };
      }
      case 'conversations.info': {
        const id = this.channelId(String(a.channel));
        const c = this.channels.find((x) => x.id === id);
        if (!c || c.id !== a.channel) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: c.id,
            name: c.name,
            is_channel: true,
            is_group: false,
            is_im: false,
            is_mpim: false,
            is_private: false,
            is_archived: false,
            is_member: c.botIsMember !== false,
            created: 1700000000,
          },
        };
      }
      case 'conversations.members':
        return {
          ok: true,
          members: [DEFAULTS.botUserId, ...Object.keys(this.users)],
          response_metadata: { next_cursor: '' },
        };
      case 'conversations.replies': {
        const parent = this.message(String(a.channel), String(a.ts));
        if (!parent) return { ok: false, error: 'thread_not_found' };
        return {
          ok: true,
          messages: [parent, ...this.replies(parent.channel, parent.ts)].map(publicMessage),
          has_more: false,
          response_metadata: { next_cursor: '' },
        };
      }
      case 'reactions.add': {
        const m = this.message(String(a.channel), String(a.timestamp));
        if (!m) return { ok: false, error: 'message_not_found' };
        return { ok: true };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private content(
    method: string,
    a: Record<string, unknown>,
  ): { ok: true } | { error: Record<string, unknown> } {
    const r = checkMessage(a);
    for (const w of r.warnings) this.warnings.push({ ...w, method });
    if (r.code) {
      return {
        error: {
          ok: false,
          error: r.code,
          response_metadata: {
            messages: r.errors.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`),
          },
        },
      };
    }
    return { ok: true };
  }

  private postMessage(a: Record<string, unknown>): Record<string, unknown> {
    // A user id as channel posts to the app's DM with that user (Slack answers with the D… channel id).
    const dm =
      /^[UW][A-Z0-9]+$/.test(String(a.channel)) && this.users[String(a.channel)]
        ? `D${String(a.channel).slice(1)}`
        : undefined;
    if (dm && !this.channels.some((c) => c.id === dm))
      this.channels.push({ id: dm, name: `dm-${String(a.channel)}`, botIsMember: true });
    const channel = dm ?? this.channelId(String(a.channel));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (this.channels.find((c) => c.id === channel)?.botIsMember === false)
      return { ok: false, error: 'not_in_channel' };
    const content = this.content('chat.postMessage', a);
    if ('error' in content) return content.error;
    const threadTs = a.thread_ts as string | undefined;
    if (threadTs !== undefined && !this.message(channel, threadTs)) {
      // Slack posts such a message to the channel; for the bot it is a defect either way.
      this.warnings.push({
        method: 'chat.postMessage',
        pointer: '/thread_ts',
        message: `thread_ts ${threadTs} is not a message in ${channel}`,
      });
    }
    const m: FakeMessage = {
      channel,
      ts: this.nextTs(),
      text: a.text as string | undefined,
      blocks: a.blocks as FakeMessage['blocks'],
      metadata: a.metadata,
      user: DEFAULTS.botUserId,
      bot_id: DEFAULTS.botId,
      history: [],
    };
    if (threadTs !== undefined) {
      const parent = this.message(channel, threadTs);
      m.thread_ts = parent?.thread_ts ?? threadTs;
    }
    m.history.push({ text: m.text, blocks: m.blocks });
    this.messages.push(m);
    return { ok: true, channel, ts: m.ts, message: publicMessage(m) };
  }

  private update(a: Record<string, unknown>): Record<string, unknown> {
    const channel = String(a.channel);
    // chat.update needs the conversation id, not a name.
    if (!this.channels.some((c) => c.id === channel)) return { ok: false, error: 'channel_not_found' };
    const m = this.message(channel, String(a.ts));
    if (!m) return { ok: false, error: 'message_not_found' };
    if (m.bot_id !== DEFAULTS.botId) return { ok: false, error: 'cant_update_message' };
    const content = this.content('chat.update', a);
    if ('error' in content) return content.error;
    if (a.text !== undefined) m.text = a.text as string;
    if (a.blocks !== undefined) m.blocks = a.blocks as FakeMessage['blocks'];
    m.history.push({ text: m.text, blocks: m.blocks });
    return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: publicMessage(m) };
  }

  private viewsOpen(a: Record<string, unknown>): Record<string, unknown> {
    if (a.trigger_id !== undefined) {
      const t = this.triggers.get(String(a.trigger_id));
      if (!t) return { ok: false, error: 'invalid_trigger_id' };
      if (t.used) return { ok: false, error: 'exchanged_trigger_id' };
      if (Date.now() - t.issuedAt > this.triggerTtlMs) return { ok: false, error: 'expired_trigger_id' };
      t.used = true;
    }
    const problems = checkView(a.view);
    if (problems.length > 0) return invalidArguments(problems);
    const view = a.view as Record<string, unknown>;
    if (
      view.external_id !== undefined &&
      [...this.views.values()].some((v) => v.view.external_id === view.external_id)
    ) {
      return { ok: false, error: 'duplicate_external_id' };
    }
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const user = a.trigger_id ? this.triggers.get(String(a.trigger_id))?.user : undefined;
    const v: FakeView = { id, hash: randomBytes(8).toString('hex'), view, user, history: [view] };
    this.views.set(id, v);
    return { ok: true, view: this.viewResponse(v) };
  }

  private viewResponse(v: FakeView): Record<string, unknown> {
    return {
      id: v.id,
      team_id: DEFAULTS.teamId,
      type: v.view.type,
      title: v.view.title,
      submit: v.view.submit,
      close: v.view.close,
      blocks: v.view.blocks,
      private_metadata: v.view.private_metadata ?? '',
      callback_id: v.view.callback_id ?? '',
      external_id: v.view.external_id ?? '',
      state: { values: {} },
      hash: v.hash,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: v.id,
      app_id: DEFAULTS.appId,
      bot_id: DEFAULTS.botId,
    };
  }

  private async handleResponseUrl(
    url: URL,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
  ): Promise<void> {
    const id = url.pathname.split('/').pop() ?? '';
    const ru = this.responseUrls.get(id);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (!ru || req.method !== 'POST') return send(404, 'no_such_response_url');
    if (ru.uses >= 5 || Date.now() - ru.createdAt > 30 * 60_000) return send(404, 'expired_url');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(400, 'invalid_payload');
    }
    ru.uses += 1;
    if (body.delete_original === true) {
      if (ru.message) {
        const i = this.messages.findIndex(
          (m) => m.channel === ru.message?.channel && m.ts === ru.message?.ts,
        );
        if (i >= 0) this.messages.splice(i, 1);
      }
      return send(200, 'ok');
    }
    const { replace_original, response_type, delete_original: _d, thread_ts, ...content } = body;
    const check = checkMessage(content);
    for (const w of check.warnings) this.warnings.push({ ...w, method: 'response_url' });
    if (check.code) return send(400, check.code === 'invalid_blocks' ? 'invalid_blocks' : check.code);
    if (replace_original === true && ru.message) {
      const m = this.message(ru.message.channel, ru.message.ts);
      if (m) {
        m.text = content.text as string | undefined;
        m.blocks = content.blocks as FakeMessage['blocks'];
        m.history.push({ text: m.text, blocks: m.blocks });
        return send(200, 'ok');
      }
    }
    if (response_type === 'in_channel') {
      this.messages.push({
        channel: ru.channel,
        ts: this.nextTs(),
        text: content.text as string,
        blocks: content.blocks as FakeMessage['blocks'],
        user: DEFAULTS.botUserId,
        bot_id: DEFAULTS.botId,
        history: [],
        thread_ts: thread_ts as string | undefined,
      });
    } else {
      this.ephemerals.push({
        channel: ru.channel,
        user: ru.user,
        text: content.text as string,
        blocks: content.blocks as unknown[],
        via: 'response_url',
        response_type: response_type as string | undefined,
      });
    }
    return send(200, 'ok');
  }
}

function invalidArguments(problems: Problem[]): Record<string, unknown> {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`) },
  };
}

function publicMessage(m: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    text: m.text ?? '',
    user: m.user,
    bot_id: m.bot_id,
    ts: m.ts,
    thread_ts: m.thread_ts,
    blocks: m.blocks,
    app_id: DEFAULTS.appId,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
