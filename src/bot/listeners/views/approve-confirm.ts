import { confirmApproval } from '../../approval.js';
import type { ConfirmMetadata } from '../../blocks/approval.js';
import { shortDigest } from '../../blocks/common.js';
import { noteMessage } from '../../blocks/help.js';
import { CallbackId } from '../../ids.js';
import type { ViewListener } from '../types.js';

function meta(s: string): ConfirmMetadata | undefined {
  try {
    const m = JSON.parse(s) as ConfirmMetadata;
    return typeof m.env === 'string' && typeof m.digest === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Submit of the confirmation modal: the approval of exactly the digest the modal showed. */
const approveConfirm: ViewListener = {
  callbackId: CallbackId.approveConfirm,
  name: 'approve_confirm',
  async run({ deps, input, notify }) {
    const m = meta(input.privateMetadata);
    if (!m) throw new Error('the confirmation modal carries no plan');
    const j = await confirmApproval(deps, { env: m.env, digest: m.digest, user: input.user });
    if (!j.ok) await notify(noteMessage(`Not approved: ${j.message}`, ':no_entry_sign:'), m.channel);
    else if (!j.complete)
      await notify(
        noteMessage(
          `Approved \`${shortDigest(m.digest)}\` of ${m.env}; more approvals are needed.`,
          ':white_check_mark:',
        ),
        m.channel,
      );
  },
};
export default approveConfirm;
