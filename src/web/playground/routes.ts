import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSlack } from '../../slack-standin/fake-slack.js';
import type { SlackUser } from '../../slack-standin/user.js';
import { cookie } from '../auth.js';
import { html } from '../html.js';
import { CSS } from '../layout.js';
import type { WebRoute } from '../routes.js';
import { type ChannelMessage, channelPage, type PersonaView, PLAYGROUND_CSS } from './channel.js';

/**
 * The Slack playground of `envc demo`: a page that plays the Slack client for three demo people. Every
 * slash command, click and modal submission is built like Slack builds it and delivered to the bot's real
 * /slack/events endpoint, signed with the signing secret (SlackUser); what the page shows is what the bot
 * posted to the stand-in Slack. Plain forms and redirects, no client script; while the bot works (and for a
 * few seconds after each action, since the bot may start its work after it acked), the page refreshes
 * itself every 2 s.
 */
export interface PlaygroundDeps {
  slack: FakeSlack;
  user: SlackUser;
  personas: PersonaView[];
  channel: { id: string; name: string };
  /** Background work (plans, applies) still running. */
  busy(): boolean;
  /** Called after each page was sent (the demo starts what can wait until the first one). */
  served?(): void;
  /** Demo control: change a stand-in resource behind terraform's back. */
  tamper(env: string): Promise<string>;
}

const AS_COOKIE = 'envc_demo_as';

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function redirect(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location: '/#bottom', ...headers });
  res.end();
}

export function playgroundRoutes(d: PlaygroundDeps): WebRoute[] {
  const openViews = new Map<string, { id: string; errors?: Record<string, string> }>();
  /** After a click or command: the views that existed before, so a modal the bot opens later is still found. */
  const expecting = new Map<string, { before: Set<string>; since: number; answers: number }>();
  const answersTo = (user: string) => d.slack.ephemerals.filter((e) => e.user === user).length;
  const newView = (user: string, before: Set<string>) =>
    [...d.slack.views.values()].find((x) => !before.has(x.id) && x.user === user && x.view.type === 'modal');
  const seenEphemerals = new Map<string, number>();
  /** When each user last acted: the bot may start its work just after it acked, so the page keeps looking. */
  const acted = new Map<string, number>();
  const SETTLE_MS = 4000;
  const notices = new Map<string, string>();
  const current = (req: IncomingMessage) =>
    d.personas.find((p) => p.key === cookie(req.headers.cookie, AS_COOKIE)) ?? d.personas[0]!;
  const userName = (id: string) => d.slack.users[id]?.name ?? (id === 'U0ENVCBOT1' ? 'envc' : id);

  // The refresh names a new URL each time: a plain refresh of `/#bottom` (where every action lands) is a
  // same-document fragment navigation in Chromium, which reloads nothing.
  const view = (req: IncomingMessage, res: ServerResponse): void => {
    const me = current(req);
    const messages: ChannelMessage[] = d.slack.parents(d.channel.id).map((m) => ({
      ts: m.ts,
      user: m.user,
      ...(m.text ? { text: m.text } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      replies: d.slack.replies(d.channel.id, m.ts).map((r) => ({
        ts: r.ts,
        user: r.user,
        ...(r.text ? { text: r.text } : {}),
        ...(r.blocks ? { blocks: r.blocks } : {}),
      })),
    }));
    const mine = d.slack.ephemerals.filter((e) => e.user === me.id);
    const waiting = expecting.get(me.id);
    if (waiting) {
      const late = newView(me.id, waiting.before);
      if (late) openViews.set(me.id, { id: late.id });
      // A modal came, or the bot answered with a message only this user sees (a refusal): nothing more comes.
      if (late || answersTo(me.id) > waiting.answers || Date.now() - waiting.since > 15_000)
        expecting.delete(me.id);
    }
    const open = openViews.get(me.id);
    const v = open ? d.slack.views.get(open.id) : undefined;
    const notice = notices.get(me.id);
    notices.delete(me.id);
    const busy = d.busy() || expecting.has(me.id) || Date.now() - (acted.get(me.id) ?? 0) < SETTLE_MS;
    const body = channelPage({
      channelName: d.channel.name,
      channelId: d.channel.id,
      messages,
      ephemerals: mine.slice(Math.max(0, (seenEphemerals.get(me.id) ?? 0) - 0)).slice(-3),
      ...(v && open
        ? { modal: { id: v.id, view: v.view, ...(open.errors ? { errors: open.errors } : {}) } }
        : {}),
      personas: d.personas,
      current: me,
      busy,
      ...(notice ? { notice } : {}),
      userName,
      botUserId: 'U0ENVCBOT1',
    });
    if (d.served) res.once('finish', () => d.served!());
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    });
    res.end(
      `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${busy && !v ? html`<meta http-equiv="refresh" content="2; url=/?at=${Date.now()}#bottom">` : ''}<title>#${d.channel.name} · envc demo</title><style>${CSS}${PLAYGROUND_CSS}</style></head><body><main id="main">${body}</main></body></html>`}`,
    );
  };

  /** Waits (briefly) for the bot to open a modal for this user after a click or command. */
  const awaitView = async (user: string, before: Set<string>, answers: number) => {
    const start = Date.now();
    while (Date.now() - start < 1500) {
      const v = newView(user, before);
      if (v) {
        openViews.set(user, { id: v.id });
        expecting.delete(user);
        return;
      }
      // The bot answered with a message instead (e.g. a refusal): no modal is coming.
      if (answersTo(user) > answers) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    // Slow machine: the page keeps looking (and refreshing) for a while.
    expecting.set(user, { before, since: Date.now(), answers });
  };

  const post =
    (h: (f: URLSearchParams, me: PersonaView) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      form(req)
        .then(async (f) => {
          const me = current(req);
          acted.set(me.id, Date.now());
          await h(f, me);
          acted.set(me.id, Date.now());
          redirect(res);
        })
        .catch((err: Error) => {
          notices.set(current(req).id, `The playground could not deliver that: ${err.message}`);
          redirect(res);
        });
    };

  const slash = post(async (f, me) => {
    const text = (f.get('text') ?? '').trim();
    const m = text.match(/^\/infra(?:\s+([\s\S]*))?$/);
    if (!m) {
      notices.set(me.id, 'Only /infra commands go to the bot here (try "/infra help").');
      return;
    }
    const before = new Set(d.slack.views.keys());
    const answersBefore = answersTo(me.id);
    seenEphemerals.set(me.id, answersBefore);
    const r = await d.user.slash(me.id, m[1] ?? '', { channel: d.channel.id });
    if (r.status !== 200) notices.set(me.id, `The bot answered HTTP ${r.status}.`);
    await awaitView(me.id, before, answersBefore);
  });

  const click = post(async (f, me) => {
    const msg = d.slack.message(f.get('channel') ?? d.channel.id, f.get('ts') ?? '');
    if (!msg) throw new Error('that message is gone');
    const before = new Set(d.slack.views.keys());
    const answersBefore = answersTo(me.id);
    const r = await d.user.click(me.id, msg, f.get('action') ?? '');
    if (r.status !== 200) notices.set(me.id, `The bot answered HTTP ${r.status}.`);
    await awaitView(me.id, before, answersBefore);
  });

  const submit = post(async (f, me) => {
    const id = f.get('view') ?? '';
    const values: Record<string, Record<string, string>> = {};
    for (const [k, val] of f) {
      const m = k.match(/^in:([^:]*):(.*)$/);
      if (m) values[m[1]!] = { ...(values[m[1]!] ?? {}), [m[2]!]: val };
    }
    const r = await d.user.submit(me.id, id, values);
    const ack = r.ack as { response_action?: string; errors?: Record<string, string> } | undefined;
    if (ack && typeof ack === 'object' && ack.response_action === 'errors')
      openViews.set(me.id, { id, errors: ack.errors ?? {} });
    else openViews.delete(me.id);
  });

  const close = post(async (_f, me) => {
    openViews.delete(me.id);
  });

  const as = (req: IncomingMessage, res: ServerResponse): void => {
    form(req).then((f) => {
      const key = d.personas.find((p) => p.key === f.get('as'))?.key ?? d.personas[0]!.key;
      redirect(res, { 'set-cookie': `${AS_COOKIE}=${key}; Path=/; SameSite=Strict; HttpOnly` });
    });
  };

  const tamper = post(async (f, me) => {
    notices.set(me.id, await d.tamper(f.get('env') ?? 'production'));
  });

  return [
    { path: '/', method: ['GET', 'HEAD'], handler: view },
    { path: '/playground/slash', method: ['POST'], handler: slash },
    { path: '/playground/click', method: ['POST'], handler: click },
    { path: '/playground/submit', method: ['POST'], handler: submit },
    { path: '/playground/close', method: ['POST'], handler: close },
    { path: '/playground/as', method: ['POST'], handler: as },
    { path: '/playground/tamper', method: ['POST'], handler: tamper },
  ];
}
