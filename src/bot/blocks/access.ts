/**
 * Block Kit for just-in-time access (pure builders): the request message with Approve/Deny, its thread
 * replies, the loud break-glass alert, the requester's DM with the kubectl context, the request and review
 * modals, and the `/infra access list` reply. Names, times and policies only — never a credential.
 */

import { formatAccessDuration } from '../../access/duration.js';
import type { KubectlContext } from '../../access/events.js';
import type { AccessListing } from '../../access/service.js';
import type { Model } from '../../compiler/model.js';
import type { AccessRequest } from '../../store/types.js';
import {
  actions,
  type Block,
  button,
  context,
  esc,
  fields,
  formModal,
  header,
  type MessageContent,
  message,
  section,
  truncate,
  when,
  who,
} from './common.js';

export const AccessActionId = {
  approve: 'envc.access.approve',
  deny: 'envc.access.deny',
  review: 'envc.access.review',
} as const;

export const AccessCallbackId = {
  request: 'envc.access.request',
  review: 'envc.access.review_submit',
} as const;

export const AccessInput = {
  env: 'access_env',
  policy: 'access_policy',
  duration: 'access_duration',
  reason: 'access_reason',
  notes: 'review_notes',
  /** action_id of the element inside each input block */
  value: 'value',
} as const;

/** The message kind under which the request's parent message is remembered (`saveMessageRef`). */
export const ACCESS_MESSAGE_KIND = 'access';

function statusLine(r: AccessRequest, now: Date): string {
  switch (r.status) {
    case 'pending':
      return r.approvers.length > 0
        ? `:hourglass: Approved by ${r.approvers.map(who).join(', ')} — ${r.approvers.length}/${r.minApprovals}, waiting for more`
        : `:hourglass: Waiting for ${r.minApprovals} approval(s)`;
    case 'approved':
      return ':white_check_mark: Approved — creating the bindings…';
    case 'granted':
      return `:white_check_mark: Granted${humanApprovers(r)} — until ${when(r.expiresAt ?? now)}`;
    case 'denied':
      return `:no_entry: ${r.deniedBy === r.requester ? 'Withdrawn' : `Denied by ${who(r.deniedBy ?? '?')}`}`;
    case 'revoked':
      return `:lock: Revoked by ${who(r.revokedBy ?? '?')}${r.revokedAt ? ` ${when(r.revokedAt)}` : ''}${r.revokeReason ? `: ${esc(truncate(r.revokeReason, 300))}` : ''}`;
    case 'expired':
      return `:lock: Expired and revoked${r.revokedAt ? ` ${when(r.revokedAt)}` : ''}`;
    case 'failed':
      return ':x: The grant could not be created (see the thread)';
  }
}

function humanApprovers(r: AccessRequest): string {
  const people = r.approvers.filter((a) => !a.startsWith('break-glass:'));
  return people.length > 0 ? ` (approved by ${people.map(who).join(', ')})` : '';
}

function requestFields(r: AccessRequest): Block {
  return fields([
    `*Environment*\n${esc(r.env)}`,
    `*Policy*\n${esc(r.policy)} (${r.role})`,
    `*Duration*\n${formatAccessDuration(r.durationSeconds)}`,
    `*Scope*\n${r.namespaces?.length ? esc(r.namespaces.join(', ')) : 'cluster'}`,
    `*Requested by*\n${who(r.requester)}`,
    `*Request*\n\`${esc(r.id)}\``,
  ]);
}

/** The parent message of a request (posted once, then updated as it moves). */
export function accessRequestMessage(
  r: AccessRequest,
  now: Date,
  opts: { approvers?: string[]; breakGlass?: boolean; reviewed?: boolean } = {},
): MessageContent {
  const blocks: Block[] = [];
  if (opts.breakGlass) {
    blocks.push(header(`🚨 BREAK-GLASS: ${r.policy} on ${r.env}`));
    blocks.push(
      section(
        r.status === 'pending'
          ? `<!here> ${who(r.requester)} asks for break-glass access (*${esc(r.role)}*, whole cluster) for *${formatAccessDuration(r.durationSeconds)}* — *needs ${r.minApprovals} approval(s)*. Reason: ${esc(truncate(r.reason, 1500))}`
          : `<!here> ${who(r.requester)} asked for break-glass access${humanApprovers(r)}. Reason: ${esc(truncate(r.reason, 1500))}`,
      ),
    );
  } else {
    blocks.push(header(`Access request: ${r.policy} on ${r.env}`));
    blocks.push(
      section(
        `${who(r.requester)} asks for *${esc(r.role)}* access for *${formatAccessDuration(r.durationSeconds)}*: ${esc(truncate(r.reason, 1500))}`,
      ),
    );
  }
  blocks.push(requestFields(r));
  blocks.push(section(statusLine(r, now)));
  if (r.status === 'pending') {
    blocks.push(
      actions(`access:${r.id}`.slice(0, 255), [
        {
          ...button('Approve', AccessActionId.approve, r.id, 'primary'),
          confirm: {
            title: { type: 'plain_text', text: 'Approve access?' },
            text: {
              type: 'plain_text',
              text: truncate(
                `${r.policy} (${r.role}) on ${r.env} for ${formatAccessDuration(r.durationSeconds)}, requested by the person named in the message.`,
                300,
              ),
            },
            confirm: { type: 'plain_text', text: 'Approve' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
        button('Deny', AccessActionId.deny, r.id, 'danger'),
      ]),
    );
    if (opts.approvers?.length)
      blocks.push(
        context(
          `Approvers: ${opts.approvers.map(esc).join(', ')} — not the requester; ${r.minApprovals} distinct approval(s) needed.`,
        ),
      );
  }
  const used = ['granted', 'revoked', 'expired'].includes(r.status);
  if (opts.breakGlass && used && !opts.reviewed) {
    blocks.push(
      section(':memo: *A post-hoc review is required.* An approver of this environment records it here.'),
    );
    blocks.push(
      actions(`access-review:${r.id}`.slice(0, 255), [button('Record review', AccessActionId.review, r.id)]),
    );
  } else if (opts.breakGlass && used && opts.reviewed) {
    blocks.push(context(':memo: Reviewed.'));
  }
  const text = opts.breakGlass
    ? `BREAK-GLASS: ${r.policy} on ${r.env} for ${r.requester} (${r.status})`
    : `Access request ${r.id}: ${r.policy} on ${r.env} for ${formatAccessDuration(r.durationSeconds)}`;
  return message(text, blocks);
}

export function accessReply(text: string, emoji: string): MessageContent {
  return message(text.replace(/[*_`<>]/g, ''), [section(`${emoji} ${text}`)]);
}

/** The DM to the requester: what was granted, until when, and the kubectl context to use. */
export function kubectlMessage(r: AccessRequest, k: KubectlContext): MessageContent {
  const scope = k.namespaces.length
    ? `namespaces ${k.namespaces.map((n) => `\`${esc(n)}\``).join(', ')}`
    : 'the whole cluster';
  return message(`Your ${r.policy} access to ${r.env} is active until ${r.expiresAt?.toISOString()}`, [
    section(
      `:key: Your *${esc(r.policy)}* access (${r.role}) to *${esc(r.env)}* is active until ${when(r.expiresAt ?? new Date())}, on ${scope}, as Kubernetes user \`${esc(k.user)}\`.`,
    ),
    section(
      `Use the context \`${esc(k.context)}\` (cluster \`${esc(k.cluster)}\`):\n\`\`\`${k.commands.map(esc).join('\n')}\`\`\``,
    ),
    context(`It is revoked automatically at expiry; \`/infra access revoke ${esc(r.id)}\` ends it sooner.`),
  ]);
}

export function accessListMessage(items: AccessListing[]): MessageContent {
  if (items.length === 0)
    return message('No pending or active access grants.', [
      section(':information_source: No pending or active access grants.'),
    ]);
  const lines = items.map(
    (i) =>
      `\`${esc(i.request.id)}\` *${esc(i.request.policy)}* on *${esc(i.request.env)}* for ${who(i.request.requester)} (${formatAccessDuration(i.request.durationSeconds)}) — ${esc(i.state)}`,
  );
  return message(`${items.length} access request(s)`, [
    section(`*Access requests and grants* (${items.length})`),
    ...lines.slice(0, 45).map((l) => section(l)),
  ]);
}

export type AccessModalLimits = Record<string, { max: number; maxText: string; envs: string[] }>;

/** `/infra access` without arguments: a modal asking for environment, policy, duration and reason. */
export function accessRequestModal(
  model: Model,
  preset: { env?: string; policy?: string } = {},
): Record<string, unknown> {
  const option = (v: string, label = v) => ({
    text: { type: 'plain_text', text: truncate(label, 75) },
    value: v,
  });
  const envs = model.environments.filter((e) => e.accessPolicies.length > 0).map((e) => e.name);
  const policies = model.accessPolicies.map((p) => ({
    name: p.name,
    label: `${p.name} (${p.role}, max ${p.maxDuration}${p.breakGlass ? ', break-glass' : ''})`,
  }));
  const select = (
    blockId: string,
    label: string,
    opts: Array<{ v: string; label?: string }>,
    initial?: string,
  ) => ({
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'static_select',
      action_id: AccessInput.value,
      options: opts.slice(0, 100).map((o) => option(o.v, o.label)),
      ...(initial && opts.some((o) => o.v === initial)
        ? { initial_option: option(initial, opts.find((o) => o.v === initial)?.label) }
        : {}),
    },
  });
  // The submit handler checks environment, policy and duration before acking (errors show in the modal);
  // it has no model at hand, so the limits travel in private_metadata (names and seconds only).
  const limits: AccessModalLimits = Object.fromEntries(
    model.accessPolicies.map((p) => [
      p.name,
      { max: p.maxDurationSeconds, maxText: p.maxDuration, envs: p.environments },
    ]),
  );
  return formModal({
    callbackId: AccessCallbackId.request,
    metadata: JSON.stringify(limits),
    title: 'Request access',
    submit: 'Request',
    blocks: [
      select(
        AccessInput.env,
        'Environment',
        envs.map((v) => ({ v })),
        preset.env,
      ),
      select(
        AccessInput.policy,
        'Access policy',
        policies.map((p) => ({ v: p.name, label: p.label })),
        preset.policy,
      ),
      {
        type: 'input',
        block_id: AccessInput.duration,
        label: { type: 'plain_text', text: 'Duration' },
        hint: { type: 'plain_text', text: 'e.g. 30m, 2h or 1h30m — at most the policy maximum' },
        element: { type: 'plain_text_input', action_id: AccessInput.value, max_length: 10 },
      },
      {
        type: 'input',
        block_id: AccessInput.reason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: AccessInput.value,
          multiline: true,
          min_length: 3,
          max_length: 500,
        },
      },
    ],
  });
}

export function reviewModal(r: AccessRequest): Record<string, unknown> {
  return formModal({
    callbackId: AccessCallbackId.review,
    metadata: r.id,
    title: 'Break-glass review',
    submit: 'Record review',
    blocks: [
      section(
        `Review of *${esc(r.policy)}* on *${esc(r.env)}* used by ${who(r.requester)}: ${esc(truncate(r.reason, 500))}`,
      ),
      {
        type: 'input',
        block_id: AccessInput.notes,
        label: { type: 'plain_text', text: 'What was done, and was it justified?' },
        element: {
          type: 'plain_text_input',
          action_id: AccessInput.value,
          multiline: true,
          min_length: 10,
          max_length: 2000,
        },
      },
    ],
  });
}

/** A drift finding: a grant binding that should not exist. */
export function accessDriftMessage(d: {
  env: string;
  binding: string;
  grantId?: string;
  removed: boolean;
  why: string;
}): MessageContent {
  const what = `\`${esc(d.binding)}\` in *${esc(d.env)}*`;
  return message(`Access drift in ${d.env}: ${d.binding}`, [
    section(
      `:warning: *Access drift*: ${what} — ${esc(d.why)}. ${d.removed ? 'It was removed.' : '*It could not be removed*; remove it by hand.'}`,
    ),
  ]);
}
