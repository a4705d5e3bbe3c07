import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkView, type Problem } from './block-kit.js';
import { directoryMethod } from './directory.js';
import { type OidcApp, SlackOidc } from './oidc.js';
import { FakeSocketMode } from './socket-mode.js';
import {
  handleResponseUrl,
  invalidArguments,
  messageContent,
  postMessage,
  publicMessage,
  readBody,
  update,
  viewResponse,
  viewsOpen,
} from './surfaces.js';
import {
  DEFAULTS,
  type EphemeralMessage,
  type FakeChannel,
  type FakeMessage,
  type FakeSlackOptions,
  type FakeView,
  manifestBotScopes,
  type RecordedCall,
  type ResponseUrl,
} from './types.js';
import { checkCall, missingResponseFields, type TokenInfo } from './web-api.js';

export {
  DEFAULTS,
  type EphemeralMessage,
  type FakeChannel,
  type FakeMessage,
  type FakeSlackOptions,
  type FakeView,
  manifestBotScopes,
  type RecordedCall,
} from './types.js';

/**
 * A local Slack: the Web API (every call checked against shared/reference/slack and recorded), response_url
 * endpoints (5 uses in 30 minutes), trigger ids (single use, short-lived) and a Socket Mode WebSocket server.
 * It rejects like Slack does — `{ok:false, error}` with HTTP 200, 429 with Retry-After when asked to — so a
 * bot that passes here sends what Slack accepts.
 */
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
  /** @internal (surfaces.ts) */
  readonly triggers = new Map<string, { issuedAt: number; used: boolean; user?: string }>();
  /** @internal (surfaces.ts) */
  readonly responseUrls = new Map<string, ResponseUrl>();
  /** Sign in with Slack, once enabled (enableOidc). */
  oidc: SlackOidc | undefined;
  private rateLimits = new Map<string, { times: number; retryAfter: number }>();
  private failures = new Map<string, string[]>();
  /** @internal (surfaces.ts) */
  readonly triggerTtlMs: number;

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

  /** Serves Sign in with Slack (OpenID Connect, oidc.ts) for one app with these redirect URLs. */
  async enableOidc(app: Partial<OidcApp> = {}): Promise<SlackOidc> {
    this.oidc = await SlackOidc.create({
      origin: () => this.origin,
      teamId: DEFAULTS.teamId,
      users: this.users,
      app,
    });
    return this.oidc;
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
    if (this.oidc?.handle(url, req, raw, res)) return;
    if (url.pathname.startsWith('/api/')) return this.handleApi(url, req, raw, res);
    if (url.pathname.startsWith('/commands/')) return handleResponseUrl(this, url, req, raw, res);
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

  /** @internal (surfaces.ts) */
  nextTs(): string {
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
        return postMessage(this, a);
      case 'chat.update':
        return update(this, a);
      case 'chat.postEphemeral': {
        const channel = this.channelId(String(a.channel));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const content = messageContent(this, 'chat.postEphemeral', a);
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
        return viewsOpen(this, a);
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
        return { ok: true, view: viewResponse(existing) };
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
        return { ok: true, view: viewResponse(v) };
      }
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
        return directoryMethod(this, method, a) ?? { ok: false, error: 'unknown_method' };
    }
  }
}
