/**
 * Access events → Slack: one thread per request in the spec's channel (the parent is updated in place as
 * the request moves, replies tell the story), the kubectl context by DM to the requester on grant, and a
 * loud channel alert for break-glass. Message references live in the store, so any replica (or the CLI)
 * continues a thread another one started.
 */

import { formatAccessDuration } from '../../access/duration.js';
import type { AccessEvent, AccessEventSink } from '../../access/events.js';
import { detailsOf, reviewOf } from '../../access/service.js';
import type { AccessRequest } from '../../store/types.js';
import {
  ACCESS_MESSAGE_KIND,
  accessDriftMessage,
  accessReply,
  accessRequestMessage,
  kubectlMessage,
} from '../blocks/access.js';
import { esc, type MessageContent, who } from '../blocks/common.js';
import { type SlackThreadOptions, slackThread } from '../slack-thread.js';

export type AccessSlackOptions = SlackThreadOptions;

export function accessSlackEvents(o: AccessSlackOptions): AccessEventSink {
  const thread = slackThread(o);
  const parentOf = async (r: AccessRequest) => {
    const ref = await o.store.getMessageRef(ACCESS_MESSAGE_KIND, r.id);
    if (ref) return { channel: ref.channel, ts: ref.ts };
    return r.slackChannel && r.slackTs ? { channel: r.slackChannel, ts: r.slackTs } : undefined;
  };
  const render = async (r: AccessRequest, approvers?: string[]) => {
    const bg = detailsOf(r).breakGlass === true;
    return accessRequestMessage(r, o.now(), {
      ...(approvers ? { approvers } : {}),
      breakGlass: bg,
      reviewed: bg ? Boolean(await reviewOf(o.store, r.id)) : false,
    });
  };
  const remember = async (r: AccessRequest, at: { channel: string; ts: string }) => {
    await o.store.saveMessageRef({ kind: ACCESS_MESSAGE_KIND, key: r.id, channel: at.channel, ts: at.ts });
    await o.store.setAccessSlackMessage(r.id, at.channel, at.ts);
  };
  /** Updates the parent (posting it when this request has none yet) and replies in its thread. */
  const step = async (r: AccessRequest, reply: MessageContent) => {
    const parent = await parentOf(r);
    await thread.show(parent, await render(r), (at) => remember(r, at), reply);
  };

  return async (e: AccessEvent) => {
    switch (e.type) {
      case 'requested': {
        const at = await thread.post(
          accessRequestMessage(e.request, o.now(), {
            approvers: e.approvers,
            breakGlass: detailsOf(e.request).breakGlass === true,
          }),
          o.channel,
        );
        if (at) await remember(e.request, at);
        return;
      }
      case 'approval-added':
        return step(
          e.request,
          accessReply(
            `Approved by ${who(e.approver)} (${e.request.approvers.length}/${e.request.minApprovals}).`,
            ':thumbsup:',
          ),
        );
      case 'granted': {
        const r = e.request;
        const text = e.breakGlass
          ? `<!here> :rotating_light: Break-glass access granted to ${who(r.requester)} by ${r.approvers.map(who).join(', ')} until ${r.expiresAt?.toISOString()}. A post-hoc review is required in this thread.`
          : `Granted by ${who(e.actor)} until ${r.expiresAt?.toISOString()} (${formatAccessDuration(r.durationSeconds)}); bindings: ${r.bindingRefs.map((b) => `\`${esc(b)}\``).join(', ')}.`;
        await step(r, accessReply(text, e.breakGlass ? ':rotating_light:' : ':white_check_mark:'));
        // The DM: chat.postMessage to a user id lands in the app's DM with that user.
        if (/^[UW][A-Z0-9]+$/.test(r.requester)) await thread.post(kubectlMessage(r, e.kubectl), r.requester);
        return;
      }
      case 'denied':
        return step(
          e.request,
          accessReply(
            `${e.actor === e.request.requester ? 'Withdrawn' : `Denied by ${who(e.actor)}`}${e.reason ? `: ${esc(e.reason)}` : '.'}`,
            ':no_entry:',
          ),
        );
      case 'revoked':
        return step(
          e.request,
          accessReply(`Revoked by ${who(e.actor)}: ${esc(e.reason)}. Bindings deleted.`, ':lock:'),
        );
      case 'expired':
        return step(
          e.request,
          accessReply(`Expired at ${e.request.expiresAt?.toISOString()}; bindings deleted.`, ':lock:'),
        );
      case 'failed':
        return step(e.request, accessReply(`Failed at *${esc(e.step)}*: ${esc(e.error)}`, ':x:'));
      case 'reviewed':
        return step(
          e.request,
          accessReply(`Post-hoc review by ${who(e.reviewer)}: ${esc(e.notes)}`, ':memo:'),
        );
      case 'drift': {
        const content = accessDriftMessage(e);
        await thread.post(content, o.channel);
        if (e.request) await thread.reply(await parentOf(e.request), content);
        return;
      }
    }
  };
}
