/**
 * One Slack thread per item, for the notifiers the bot and the CLI share (JIT access, rotation): the parent
 * message is updated in place as the item moves on, and replies in its thread tell each step. Only
 * chat.postMessage and chat.update are used, so a bare Web API client will do. Where each parent lives is
 * the caller's to remember (message references in the store), so any replica or the CLI continues a thread.
 */
import type { Store } from '../store/types.js';
import type { MessageContent } from './blocks/common.js';

export interface ThreadSlack {
  chat: {
    postMessage(a: Record<string, unknown>): Promise<{ channel?: string; ts?: string }>;
    update(a: Record<string, unknown>): Promise<unknown>;
  };
}

/** What a thread notifier is built from. */
export interface SlackThreadOptions {
  slack: ThreadSlack;
  store: Store;
  /** The spec's channel (name or id). */
  channel: string;
  now: () => Date;
}

export interface ThreadRef {
  channel: string;
  ts: string;
}

export interface SlackThread {
  /** Posts to `channel` (a user id: the app's DM with that user), in a thread when `threadTs` is given. */
  post(content: MessageContent, channel: string, threadTs?: string): Promise<ThreadRef | undefined>;
  /**
   * Updates the parent when there is one, else posts it to the spec's channel and `remember`s where; then
   * replies in its thread, when a reply is given.
   */
  show(
    parent: ThreadRef | undefined,
    content: MessageContent,
    remember: (at: ThreadRef) => Promise<void>,
    reply?: MessageContent,
  ): Promise<void>;
  /** A reply in the thread of `parent`, when there is one. */
  reply(parent: ThreadRef | undefined, content: MessageContent): Promise<void>;
}

/** `postOptions` go with every chat.postMessage (default: no link or media previews). */
export function slackThread(
  o: SlackThreadOptions,
  postOptions: Record<string, unknown> = { unfurl_links: false, unfurl_media: false },
): SlackThread {
  const post: SlackThread['post'] = async (content, channel, threadTs) => {
    const r = await o.slack.chat.postMessage({
      channel,
      text: content.text,
      blocks: content.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...postOptions,
    });
    return r.channel && r.ts ? { channel: r.channel, ts: r.ts } : undefined;
  };
  const reply: SlackThread['reply'] = async (parent, content) => {
    if (parent) await post(content, parent.channel, parent.ts);
  };
  return {
    post,
    reply,
    async show(parent, content, remember, replyContent) {
      let at = parent;
      if (at)
        await o.slack.chat.update({
          channel: at.channel,
          ts: at.ts,
          text: content.text,
          blocks: content.blocks,
        });
      else {
        at = await post(content, o.channel);
        if (at) await remember(at);
      }
      if (replyContent) await reply(at, replyContent);
    },
  };
}
