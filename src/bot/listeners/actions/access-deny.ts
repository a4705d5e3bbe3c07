import { denyAccess } from '../../../access/service.js';
import { accessDepsOf } from '../../access-deps.js';
import { AccessActionId } from '../../blocks/access.js';
import { outcomeNote } from '../../blocks/help.js';
import type { ActionListener } from '../types.js';

/** Deny button of an access request (approvers; the requester withdraws with it). */
const accessDeny: ActionListener = {
  actionId: AccessActionId.deny,
  name: 'access-deny',
  async run({ deps, input, respond }) {
    const r = await denyAccess(accessDepsOf(deps), { requestId: input.value, actor: input.user });
    await respond(
      outcomeNote(r, { done: `Request ${r.message}.`, icon: ':no_entry:', notDone: 'Not denied' }),
    );
  },
};
export default accessDeny;
