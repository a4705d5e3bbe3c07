import { judgeUser, loadPlanView, recordRefusal } from '../../approval.js';
import { approveConfirmModal, parseApprovalValue } from '../../blocks/approval.js';
import { noteMessage } from '../../blocks/help.js';
import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

/** Approve button: refuses at once (ephemeral) or opens the confirmation modal naming env and digest. */
const approve: ActionListener = {
  actionId: ActionId.approve,
  name: 'approve',
  async run({ deps, input, respond, openModal }) {
    const target = parseApprovalValue(input.value);
    if (!target) return respond(noteMessage('This button does not name a plan.', ':warning:'));
    const a = { env: target.env, user: input.user, digest: target.digest, action: 'approve' as const };
    const j = await judgeUser(deps, a);
    if (!j.ok) {
      await recordRefusal(deps, a, j);
      return respond(noteMessage(`Not approved: ${j.message}`, ':no_entry_sign:'));
    }
    const plan = await loadPlanView(deps, target.env, j.request.digest);
    await openModal(
      approveConfirmModal(
        plan,
        { env: target.env, digest: j.request.digest, ...(input.message ?? {}) },
        j.request.requester,
      ),
    );
  },
};
export default approve;
