import { approveAccess } from '../../../access/service.js';
import { accessDepsOf } from '../../access-deps.js';
import { AccessActionId } from '../../blocks/access.js';
import { outcomeNote } from '../../blocks/help.js';
import type { ActionListener } from '../types.js';

/** Approve button of an access request (the button carries a Slack confirm dialog). */
const accessApprove: ActionListener = {
  actionId: AccessActionId.approve,
  name: 'access-approve',
  async run({ deps, input, respond }) {
    const r = await approveAccess(accessDepsOf(deps), { requestId: input.value, approver: input.user });
    await respond(outcomeNote(r, { done: r.message, icon: ':white_check_mark:', notDone: 'Not approved' }));
  },
};
export default accessApprove;
