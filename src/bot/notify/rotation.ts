/**
 * Rotation events → one Slack thread per rotation in the spec's channel: the parent says what is rotated
 * and its state (waiting for approval, rotating, rotated, failed), replies tell each step — sealed, rolled
 * out, old credential revoked — or the failure with its step and rollback. The reference lives in the store
 * (kind `rotation`, key = rotation id), so the revocation job days later replies in the same thread.
 */

import type { Model } from '../../compiler/model.js';
import type { RotationEvent, RotationEventSink } from '../../rotation/events.js';
import { approvalsOf, findRotation } from '../../rotation/requests.js';
import { nextDue } from '../../rotation/schedule.js';
import { esc, type MessageContent, who } from '../blocks/common.js';
import {
  ROTATION_MESSAGE_KIND,
  type RotationParentState,
  rotationParentMessage,
  rotationReply,
  rotationStepReply,
} from '../blocks/rotation.js';
import { type SlackThreadOptions, slackThread } from '../slack-thread.js';

export interface RotationSlackOptions extends SlackThreadOptions {
  model: Model;
}

export function rotationSlackEvents(o: RotationSlackOptions): RotationEventSink {
  // Media previews were never turned off here (rotation messages carry no media links): kept as it was.
  const thread = slackThread(o, { unfurl_links: false });
  const source = (secret: string) => o.model.secrets.find((s) => s.name === secret)?.source;
  const parentOf = (id: string) => o.store.getMessageRef(ROTATION_MESSAGE_KIND, id);
  /** Posts or updates the parent, then replies (when given). */
  const show = async (
    e: { rotationId: string; env: string; secret: string },
    state: RotationParentState,
    reply?: MessageContent,
  ) => {
    const content = rotationParentMessage(
      {
        rotationId: e.rotationId,
        env: e.env,
        secret: e.secret,
        ...(source(e.secret) ? { source: source(e.secret) } : {}),
      },
      state,
    );
    await thread.show(
      await parentOf(e.rotationId),
      content,
      (at) =>
        o.store.saveMessageRef({
          kind: ROTATION_MESSAGE_KIND,
          key: e.rotationId,
          channel: at.channel,
          ts: at.ts,
        }),
      reply,
    );
  };
  const reply = async (id: string, content: MessageContent) => thread.reply(await parentOf(id), content);

  return async (e: RotationEvent) => {
    switch (e.type) {
      case 'approval-requested':
        return show(e, {
          status: 'awaiting-approval',
          requester: e.requester,
          approvers: e.approvers,
          minApprovals: e.minApprovals,
          approvals: [],
          expiresAt: e.expiresAt,
          ...(e.reason ? { reason: e.reason } : {}),
        });
      case 'approval-added': {
        const r = await findRotation(o, e.rotationId);
        const d = (r?.details ?? {}) as { requester?: string; expiresAt?: string; reason?: string };
        const env = o.model.environments.find((x) => x.name === e.env);
        return show(
          e,
          {
            status: 'awaiting-approval',
            requester: d.requester ?? '?',
            approvers: env?.approvals.approvers.length ? env.approvals.approvers : o.model.slack.approvers,
            minApprovals: e.minApprovals,
            approvals: r ? approvalsOf(r) : [e.approver],
            expiresAt: new Date(d.expiresAt ?? o.now()),
            ...(d.reason ? { reason: d.reason } : {}),
          },
          rotationReply(`Approved by ${who(e.approver)} (${e.approvals}/${e.minApprovals}).`, ':thumbsup:'),
        );
      }
      case 'started':
        return show(
          e,
          { status: 'running', actor: e.actor, trigger: e.trigger },
          rotationReply(`Started by ${who(e.actor)} (${esc(e.trigger)}).`, ':arrows_counterclockwise:'),
        );
      case 'step':
        return reply(e.rotationId, rotationStepReply(e.step, e.message));
      case 'succeeded':
        return show(
          e,
          {
            status: 'succeeded',
            actor: e.rotation?.actor ?? '?',
            nextDue: e.nextDue,
            ...(e.revocationDueAt ? { revocationDueAt: e.revocationDueAt } : {}),
          },
          rotationReply(`Rotation finished; next due ${e.nextDue.toISOString()}.`, ':white_check_mark:'),
        );
      case 'failed':
        return show(
          e,
          {
            status: 'failed',
            step: e.step,
            error: e.error,
            oldCredentialValid: e.oldCredentialValid,
            rollback: e.rollback,
          },
          rotationReply(
            `Failed at *${esc(e.step)}*: ${esc(e.error)}. ${e.rollback.length ? `Rolled back: ${e.rollback.map(esc).join('; ')}. ` : ''}${
              e.oldCredentialValid
                ? 'The old credential still works.'
                : 'The old credential no longer works: run the rotation again.'
            }`,
            ':x:',
          ),
        );
      case 'revoked': {
        const r = await findRotation(o, e.rotationId);
        const every =
          o.model.environments.find((x) => x.name === e.env)?.secrets.find((s) => s.name === e.secret)
            ?.rotateEverySeconds ?? 0;
        const doneAt = r?.finishedAt ?? e.at;
        return show(
          e,
          { status: 'succeeded', actor: r?.actor ?? '?', nextDue: nextDue(doneAt, every), revokedAt: e.at },
          rotationStepReply('revoke-old', `old credential revoked (${e.keys} key(s)) after the grace period`),
        );
      }
      case 'denied':
        return show(
          e,
          { status: 'denied', actor: e.actor, reason: e.reason },
          rotationReply(`Denied by ${who(e.actor)}: ${esc(e.reason)}`, ':no_entry:'),
        );
    }
  };
}
