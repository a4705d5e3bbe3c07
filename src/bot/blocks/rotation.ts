/**
 * Block Kit for secret rotation (pure builders): the parent message of a rotation's thread (started →
 * succeeded / failed, with Approve/Deny while an on-demand production rotation waits) and its replies.
 * Secret names, steps and times only — never a value.
 */
import type { RotationStepName } from '../../rotation/events.js';
import {
  actions,
  type Block,
  button,
  context,
  esc,
  fields,
  header,
  type MessageContent,
  message,
  section,
  truncate,
  when,
  who,
} from './common.js';

export const RotationActionId = {
  approve: 'envc.rotation.approve',
  deny: 'envc.rotation.deny',
} as const;

export const ROTATION_MESSAGE_KIND = 'rotation';

export type RotationParentState =
  | {
      status: 'awaiting-approval';
      requester: string;
      approvers: string[];
      minApprovals: number;
      approvals: string[];
      expiresAt: Date;
      reason?: string;
    }
  | { status: 'running'; actor: string; trigger: string }
  | { status: 'succeeded'; actor: string; nextDue: Date; revocationDueAt?: Date; revokedAt?: Date }
  | {
      status: 'failed';
      actor?: string;
      step: string;
      error: string;
      oldCredentialValid: boolean;
      rollback: string[];
    }
  | { status: 'denied'; actor: string; reason: string };

export interface RotationHead {
  rotationId: string;
  env: string;
  secret: string;
  source?: string;
}

function statusLine(s: RotationParentState): string {
  switch (s.status) {
    case 'awaiting-approval':
      return `:hourglass: Waiting for ${s.minApprovals} approval(s) by ${s.approvers.map(esc).join(', ')} — ${s.approvals.length} so far; expires ${when(s.expiresAt)}`;
    case 'running':
      return `:gear: Rotating (${esc(s.trigger)}, by ${who(s.actor)})…`;
    case 'succeeded':
      return `:white_check_mark: Rotated by ${who(s.actor)}; next due ${when(s.nextDue)}${
        s.revokedAt
          ? `; old credential revoked ${when(s.revokedAt)}`
          : s.revocationDueAt
            ? `; old credential revoked ${when(s.revocationDueAt)} (grace period)`
            : ''
      }`;
    case 'failed':
      return `:x: Failed at *${esc(s.step)}*: ${esc(truncate(s.error, 800))}\n${s.oldCredentialValid ? ':shield: The old credential still works.' : ':warning: The old credential no longer works — run the rotation again.'}`;
    case 'denied':
      return `:no_entry: Denied by ${who(s.actor)}: ${esc(truncate(s.reason, 500))}`;
  }
}

export function rotationParentMessage(h: RotationHead, s: RotationParentState): MessageContent {
  const blocks: Block[] = [
    header(`Secret rotation: ${h.secret} in ${h.env}`),
    fields([
      `*Environment*\n${esc(h.env)}`,
      `*Secret*\n${esc(h.secret)}`,
      ...(h.source ? [`*Source*\n${esc(h.source)}`] : []),
      `*Rotation*\n\`${esc(h.rotationId)}\``,
    ]),
    section(statusLine(s)),
  ];
  if (s.status === 'awaiting-approval') {
    if (s.reason)
      blocks.splice(
        2,
        0,
        section(`${who(s.requester)} asks to rotate it now: ${esc(truncate(s.reason, 1000))}`),
      );
    blocks.push(
      actions(`rotation:${h.rotationId}`.slice(0, 255), [
        button('Approve rotation', RotationActionId.approve, h.rotationId, 'primary'),
        button('Deny', RotationActionId.deny, h.rotationId, 'danger'),
      ]),
    );
    blocks.push(
      context(
        'Approvers of the environment only, never the requester. The old credential stays valid until the new one is rolled out.',
      ),
    );
  }
  if (s.status === 'failed' && s.rollback.length > 0)
    blocks.push(context(`Rollback: ${s.rollback.map(esc).join('; ')}`));
  return message(`Secret rotation ${h.secret} in ${h.env}: ${s.status}`, blocks);
}

const STEP_EMOJI: Partial<Record<RotationStepName, string>> = {
  credential: ':key:',
  seal: ':lock:',
  rollout: ':rocket:',
  'revocation-scheduled': ':hourglass_flowing_sand:',
  'revoke-old': ':wastebasket:',
};

export function rotationStepReply(step: RotationStepName, text: string): MessageContent {
  return message(`${step}: ${text}`, [
    section(`${STEP_EMOJI[step] ?? ':small_blue_diamond:'} *${esc(step)}* — ${esc(text)}`),
  ]);
}

export function rotationReply(text: string, emoji: string): MessageContent {
  return message(text.replace(/[*_`<>]/g, ''), [section(`${emoji} ${text}`)]);
}
