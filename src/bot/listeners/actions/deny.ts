import { judgeUser, loadPlanView, recordRefusal } from '../../approval.js';
import { denyModal, parseApprovalValue } from '../../blocks/approval.js';
import { noteMessage } from '../../blocks/help.js';
import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

/** Deny button: opens a modal asking for a reason (the denial happens on submit). */
const deny: ActionListener = {
  actionId: ActionId.deny,
  name: 'deny',
  async run({ deps, input, respond, openModal }) {
    const target = parseApprovalValue(input.value);
    if (!target) return respond(noteMessage('This button does not name a plan.', ':warning:'));
    const a = { env: target.env, user: input.user, digest: target.digest, action: 'deny' as const };
    const j = await judgeUser(deps, a);
    if (!j.ok) {
      await recordRefusal(deps, a, j);
      return respond(noteMessage(`Not denied: ${j.message}`, ':no_entry_sign:'));
    }
    const plan = await loadPlanView(deps, target.env, j.request.digest);
    await openModal(denyModal(plan, { env: target.env, digest: j.request.digest, ...(input.message ?? {}) }));
  },
};
export default deny;
