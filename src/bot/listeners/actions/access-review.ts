import { AccessActionId, reviewModal } from '../../blocks/access.js';
import { noteMessage } from '../../blocks/help.js';
import type { ActionListener } from '../types.js';

/** "Record review" on a break-glass alert: opens the review modal (checks happen on submit). */
const accessReview: ActionListener = {
  actionId: AccessActionId.review,
  name: 'access-review',
  async run({ deps, input, respond, openModal }) {
    const r = await deps.store.getAccessRequest(input.value);
    if (!r) return respond(noteMessage(`No access request "${input.value}".`, ':warning:'));
    if (r.requester === input.user)
      return respond(noteMessage('The person who used break-glass cannot review it.', ':no_entry_sign:'));
    await openModal(reviewModal(r));
  },
};
export default accessReview;
