import { ActionId, CallbackId, InputId } from '../ids.js';
import { countsText, type PlanView } from '../plan-view.js';
import {
  actions,
  type Block,
  button,
  context,
  divider,
  esc,
  fields,
  formModal,
  header,
  type MessageContent,
  message,
  section,
  shortDigest,
  truncate,
  when,
  who,
} from './common.js';
import { costBlocks } from './cost.js';
import { planSummaryBlocks } from './plan.js';

export type ApprovalStatus =
  | 'pending'
  | 'approved'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'denied'
  | 'expired'
  | 'superseded';

/** Everything the approval message shows; the message is re-rendered from this on every change. */
export interface ApprovalState {
  plan: PlanView;
  requester: string;
  expiresAt: Date;
  minApprovals: number;
  approvals: Array<{ approver: string; at: Date }>;
  status: ApprovalStatus;
  deniedBy?: string;
  reason?: string;
  appliedAt?: Date;
  error?: string;
  argo?: { revision: string; applications: string[] } | { error: string };
  updatedAt?: Date;
}

/** The button value: environment and full digest (the click must name exactly what the message showed). */
export function approvalValue(env: string, digest: string): string {
  return `${env}:${digest}`;
}

export function parseApprovalValue(v: string | undefined): { env: string; digest: string } | undefined {
  const m = v?.match(/^([a-z0-9][a-z0-9-]*):([0-9a-f]{8,})$/);
  return m ? { env: m[1]!, digest: m[2]! } : undefined;
}

function statusLine(s: ApprovalState): string {
  const by = s.approvals.map((a) => `${who(a.approver)} (${when(a.at)})`).join(', ');
  switch (s.status) {
    case 'pending':
      return s.approvals.length > 0
        ? `:hourglass: Approved by ${by} — ${s.approvals.length}/${s.minApprovals}, waiting for more`
        : `:hourglass: Waiting for ${s.minApprovals} approval(s); expires ${when(s.expiresAt)}`;
    case 'approved':
      return `:white_check_mark: Approved by ${by} — waiting for the apply`;
    case 'applying':
      return `:white_check_mark: Approved by ${by}\n:gear: Applying…`;
    case 'applied':
      return `:white_check_mark: Approved by ${by}\n:rocket: Applied${s.appliedAt ? ` ${when(s.appliedAt)}` : ''}`;
    case 'failed':
      return `:white_check_mark: Approved by ${by}\n:x: Apply failed: ${esc(truncate(s.error ?? 'unknown error', 500))}`;
    case 'denied':
      return `:no_entry: Denied by ${who(s.deniedBy ?? '?')}${s.reason ? `: ${esc(truncate(s.reason, 500))}` : ''}`;
    case 'expired':
      return `:alarm_clock: Expired ${when(s.expiresAt)} — run \`/infra plan ${esc(s.plan.env)}\` again`;
    case 'superseded':
      return ':fast_forward: Superseded by a newer plan';
  }
}

/** The parent message of an approval request (posted once, then updated with chat.update). */
export function approvalMessage(
  s: ApprovalState,
  /** The plan review page (every change in full), when the bot serves pages. */
  pages?: { planUrl(digest: string): string },
): MessageContent {
  const p = s.plan;
  const blocks: Block[] = [
    header(`Approval needed: ${p.env}`),
    fields([
      `*Environment*\n${esc(p.env)}`,
      `*Requested by*\n${who(s.requester)}`,
      `*Changes*\n\`${countsText(p)}\``,
      `*Digest*\n\`${shortDigest(p.digest)}\``,
      `*Approvals*\n${s.approvals.length}/${s.minApprovals}`,
      `*Expires*\n${when(s.expiresAt)}`,
    ]),
    divider(),
    ...planSummaryBlocks(p),
    ...costBlocks(p.cost),
    divider(),
    section(statusLine(s)),
  ];
  if (s.argo) {
    blocks.push(
      'error' in s.argo
        ? section(`:warning: ArgoCD sync not started: ${esc(truncate(s.argo.error, 500))}`)
        : section(
            `:arrows_counterclockwise: ArgoCD sync of ${s.argo.applications.map((a) => `\`${esc(a)}\``).join(', ') || '_no applications_'} to \`${esc(s.argo.revision.slice(0, 12))}\``,
          ),
    );
  }
  const value = approvalValue(p.env, p.digest);
  const buttons = [button('View plan', ActionId.viewPlan, value)];
  if (pages)
    buttons.push({
      ...button('View the full change', ActionId.openPlanPage, value),
      url: pages.planUrl(p.digest),
    });
  if (s.status === 'pending') {
    buttons.unshift(
      button('Approve', ActionId.approve, value, 'primary'),
      button('Deny', ActionId.deny, value, 'danger'),
    );
  }
  blocks.push(actions(`approval:${shortDigest(p.digest)}`, buttons));
  const text = `Approval ${s.status} for ${p.env}: ${countsText(p)} (digest ${shortDigest(p.digest)}) requested by ${s.requester}`;
  return message(text, blocks);
}

/** What the confirmation modal carries back on submit (private_metadata). */
export interface ConfirmMetadata {
  env: string;
  digest: string;
  channel?: string;
  ts?: string;
}

/** The confirmation modal: repeats environment and full digest, so the approver approves exactly that. */
export function approveConfirmModal(p: PlanView, meta: ConfirmMetadata, requester: string): Block {
  return formModal({
    callbackId: CallbackId.approveConfirm,
    metadata: JSON.stringify(meta),
    title: 'Confirm approval',
    submit: 'Approve',
    blocks: [
      section(`You are approving the apply of this exact plan to *${esc(p.env)}*.`),
      fields([
        `*Environment*\n${esc(p.env)}`,
        `*Requested by*\n${who(requester)}`,
        `*Changes*\n\`${countsText(p)}\``,
      ]),
      section(`*Digest*\n\`${p.digest}\``),
      ...(p.protectedDestroys.length > 0
        ? [
            section(
              `:warning: *This plan destroys protected resources:* ${p.protectedDestroys.map((a) => `*\`${esc(a)}\`*`).join(', ')}`,
            ),
          ]
        : []),
      context(
        'A different plan (another digest) needs a new approval. Your approval is recorded in the audit log.',
      ),
    ],
  });
}

/** The deny modal: an optional reason, posted and audited. */
export function denyModal(p: PlanView, meta: ConfirmMetadata): Block {
  return formModal({
    callbackId: CallbackId.denyConfirm,
    metadata: JSON.stringify(meta),
    title: 'Deny plan',
    submit: 'Deny',
    blocks: [
      section(`Deny the plan for *${esc(p.env)}* (digest \`${shortDigest(p.digest)}\`)?`),
      {
        type: 'input',
        block_id: InputId.denyReasonBlock,
        optional: true,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: InputId.denyReasonInput,
          multiline: true,
          max_length: 500,
        },
      },
    ],
  });
}

/** A reply in the approval thread (decisions are also posted, not only shown in the parent). */
export function approvalReply(text: string): MessageContent {
  return message(text.replace(/[*_`<>]/g, ''), [section(text)]);
}
