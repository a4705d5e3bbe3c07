import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkMessage, checkView, type Problem } from './block-kit.js';
import type { FakeSlack } from './fake-slack.js';
import { DEFAULTS, type FakeMessage, type FakeView } from './types.js';

/** The message and modal surfaces of the Slack stand-in: chat.postMessage/update, views.open, their checks. */
export function messageContent(
  s: FakeSlack,
  method: string,
  a: Record<string, unknown>,
): { ok: true } | { error: Record<string, unknown> } {
  const r = checkMessage(a);
  for (const w of r.warnings) s.warnings.push({ ...w, method });
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

export function postMessage(s: FakeSlack, a: Record<string, unknown>): Record<string, unknown> {
  // A user id as channel posts to the app's DM with that user (Slack answers with the D… channel id).
  const dm =
    /^[UW][A-Z0-9]+$/.test(String(a.channel)) && s.users[String(a.channel)]
      ? `D${String(a.channel).slice(1)}`
      : undefined;
  if (dm && !s.channels.some((c) => c.id === dm))
    s.channels.push({ id: dm, name: `dm-${String(a.channel)}`, botIsMember: true });
  const channel = dm ?? s.channelId(String(a.channel));
  if (!channel) return { ok: false, error: 'channel_not_found' };
  if (s.channels.find((c) => c.id === channel)?.botIsMember === false)
    return { ok: false, error: 'not_in_channel' };
  const content = messageContent(s, 'chat.postMessage', a);
  if ('error' in content) return content.error;
  const threadTs = a.thread_ts as string | undefined;
  if (threadTs !== undefined && !s.message(channel, threadTs)) {
    // Slack posts such a message to the channel; for the bot it is a defect either way.
    s.warnings.push({
      method: 'chat.postMessage',
      pointer: '/thread_ts',
      message: `thread_ts ${threadTs} is not a message in ${channel}`,
    });
  }
  const m: FakeMessage = {
    channel,
    ts: s.nextTs(),
    text: a.text as string | undefined,
    blocks: a.blocks as FakeMessage['blocks'],
    metadata: a.metadata,
    user: DEFAULTS.botUserId,
    bot_id: DEFAULTS.botId,
    history: [],
  };
  if (threadTs !== undefined) {
    const parent = s.message(channel, threadTs);
    m.thread_ts = parent?.thread_ts ?? threadTs;
  }
  m.history.push({ text: m.text, blocks: m.blocks });
  s.messages.push(m);
  return { ok: true, channel, ts: m.ts, message: publicMessage(m) };
}

export function update(s: FakeSlack, a: Record<string, unknown>): Record<string, unknown> {
  const channel = String(a.channel);
  // chat.update needs the conversation id, not a name.
  if (!s.channels.some((c) => c.id === channel)) return { ok: false, error: 'channel_not_found' };
  const m = s.message(channel, String(a.ts));
  if (!m) return { ok: false, error: 'message_not_found' };
  if (m.bot_id !== DEFAULTS.botId) return { ok: false, error: 'cant_update_message' };
  const content = messageContent(s, 'chat.update', a);
  if ('error' in content) return content.error;
  if (a.text !== undefined) m.text = a.text as string;
  if (a.blocks !== undefined) m.blocks = a.blocks as FakeMessage['blocks'];
  m.history.push({ text: m.text, blocks: m.blocks });
  return { ok: true, channel, ts: m.ts, text: m.text ?? '', message: publicMessage(m) };
}

export function viewsOpen(s: FakeSlack, a: Record<string, unknown>): Record<string, unknown> {
  if (a.trigger_id !== undefined) {
    const t = s.triggers.get(String(a.trigger_id));
    if (!t) return { ok: false, error: 'invalid_trigger_id' };
    if (t.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (Date.now() - t.issuedAt > s.triggerTtlMs) return { ok: false, error: 'expired_trigger_id' };
    t.used = true;
  }
  const problems = checkView(a.view);
  if (problems.length > 0) return invalidArguments(problems);
  const view = a.view as Record<string, unknown>;
  if (
    view.external_id !== undefined &&
    [...s.views.values()].some((v) => v.view.external_id === view.external_id)
  ) {
    return { ok: false, error: 'duplicate_external_id' };
  }
  const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const user = a.trigger_id ? s.triggers.get(String(a.trigger_id))?.user : undefined;
  const v: FakeView = { id, hash: randomBytes(8).toString('hex'), view, user, history: [view] };
  s.views.set(id, v);
  return { ok: true, view: viewResponse(v) };
}

export function viewResponse(v: FakeView): Record<string, unknown> {
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

export function invalidArguments(problems: Problem[]): Record<string, unknown> {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`) },
  };
}

export function publicMessage(m: FakeMessage): Record<string, unknown> {
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

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export async function handleResponseUrl(
  s: FakeSlack,
  url: URL,
  req: IncomingMessage,
  raw: string,
  res: ServerResponse,
): Promise<void> {
  const id = url.pathname.split('/').pop() ?? '';
  const ru = s.responseUrls.get(id);
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
      const i = s.messages.findIndex((m) => m.channel === ru.message?.channel && m.ts === ru.message?.ts);
      if (i >= 0) s.messages.splice(i, 1);
    }
    return send(200, 'ok');
  }
  const { replace_original, response_type, delete_original: _d, thread_ts, ...content } = body;
  const check = checkMessage(content);
  for (const w of check.warnings) s.warnings.push({ ...w, method: 'response_url' });
  if (check.code) return send(400, check.code === 'invalid_blocks' ? 'invalid_blocks' : check.code);
  if (replace_original === true && ru.message) {
    const m = s.message(ru.message.channel, ru.message.ts);
    if (m) {
      m.text = content.text as string | undefined;
      m.blocks = content.blocks as FakeMessage['blocks'];
      m.history.push({ text: m.text, blocks: m.blocks });
      return send(200, 'ok');
    }
  }
  if (response_type === 'in_channel') {
    s.messages.push({
      channel: ru.channel,
      ts: s.nextTs(),
      text: content.text as string,
      blocks: content.blocks as FakeMessage['blocks'],
      user: DEFAULTS.botUserId,
      bot_id: DEFAULTS.botId,
      history: [],
      thread_ts: thread_ts as string | undefined,
    });
  } else {
    s.ephemerals.push({
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
