import type { MessageContent } from './blocks/common.js';
import { type BotDeps, scrub } from './deps.js';

/**
 * Posting with memory: a message that stands for something (an approval request, a drift incident) is
 * posted once and then updated in place. The reference (channel id + ts) lives in the store, so any replica
 * can update a message another replica posted. Web API errors propagate; 429s are retried by the client.
 */
export interface Posted {
  channel: string;
  ts: string;
}

export async function post(
  deps: BotDeps,
  raw: MessageContent,
  opts: { channel?: string; threadTs?: string } = {},
): Promise<Posted> {
  const content = scrub(deps, raw);
  const r = await deps.slack.chat.postMessage({
    channel: opts.channel ?? deps.channel,
    text: content.text,
    blocks: content.blocks as never,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!r.channel || !r.ts) throw new Error('chat.postMessage answered without channel/ts');
  return { channel: r.channel, ts: r.ts };
}

export async function update(deps: BotDeps, at: Posted, raw: MessageContent): Promise<void> {
  const content = scrub(deps, raw);
  await deps.slack.chat.update({
    channel: at.channel,
    ts: at.ts,
    text: content.text,
    blocks: content.blocks as never,
  });
}

export async function reply(deps: BotDeps, parent: Posted, content: MessageContent): Promise<Posted> {
  return post(deps, content, { channel: parent.channel, threadTs: parent.ts });
}

/**
 * The message for (kind, key): updated when it exists, posted (and remembered) otherwise. Two replicas
 * racing to post the same message are serialized by a claim in the store; the loser waits for the winner's
 * reference and updates it instead of posting a duplicate.
 */
export async function upsert(
  deps: BotDeps,
  kind: string,
  key: string,
  content: MessageContent,
): Promise<Posted & { created: boolean }> {
  const existing = await deps.store.getMessageRef(kind, key);
  if (existing) {
    await update(deps, existing, content);
    return { channel: existing.channel, ts: existing.ts, created: false };
  }
  if (await deps.store.rememberSlackRequest(`post:${kind}:${key}`)) {
    const at = await post(deps, content);
    await deps.store.saveMessageRef({ kind, key, channel: at.channel, ts: at.ts });
    return { ...at, created: true };
  }
  for (let i = 0; i < 100; i += 1) {
    await new Promise((r) => setTimeout(r, 50));
    const ref = await deps.store.getMessageRef(kind, key);
    if (ref) {
      await update(deps, ref, content);
      return { channel: ref.channel, ts: ref.ts, created: false };
    }
  }
  throw new Error(`message ${kind}/${key} was claimed by another replica but never posted`);
}

export async function ref(deps: BotDeps, kind: string, key: string): Promise<Posted | undefined> {
  const r = await deps.store.getMessageRef(kind, key);
  return r ? { channel: r.channel, ts: r.ts } : undefined;
}
