import { accessDepsOf } from '../../../access/bot-deps.js';
import { denyAccess } from '../../../access/service.js';
import { AccessActionId } from '../../blocks/access.js';
import { noteMessage } from '../../blocks/help.js';
import type { ActionListener } from '../types.js';

/** Deny button of an access request (approvers; the requester withdraws with it). */
const accessDeny: ActionListener = {
  actionId: AccessActionId.deny,
  name: 'access-deny',
  async run({ deps, input, respond }) {
    const r = await denyAccess(accessDepsOf(deps), { requestId: input.value, actor: input.user });
    await respond(
      noteMessage(
        r.kind === 'success' ? `Request ${r.message}.` : `Not denied: ${r.message}`,
        r.kind === 'success' ? ':no_entry:' : ':no_entry_sign:',
      ),
    );
  },
};
export default accessDeny;
