import { loadPlanView } from '../../approval.js';
import { parseApprovalValue } from '../../blocks/approval.js';
import { noteMessage } from '../../blocks/help.js';
import { planDetailsModal } from '../../blocks/plan.js';
import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

/** View plan: every change with the spec line that caused it, in a modal. */
const viewPlan: ActionListener = {
  actionId: ActionId.viewPlan,
  name: 'view_plan',
  async run({ deps, input, respond, openModal }) {
    const target = parseApprovalValue(input.value);
    if (!target) return respond(noteMessage('This button does not name a plan.', ':warning:'));
    const plan = await deps.store.getPlanByDigest(target.env, target.digest);
    if (!plan)
      return respond(
        noteMessage(
          `The plan \`${target.digest.slice(0, 12)}\` of ${target.env} is no longer stored.`,
          ':warning:',
        ),
      );
    await openModal(planDetailsModal(await loadPlanView(deps, target.env, target.digest)));
  },
};
export default viewPlan;
