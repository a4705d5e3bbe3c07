import { reviewAccess } from '../../../access/service.js';
import { accessDepsOf } from '../../access-deps.js';
import { AccessCallbackId, AccessInput } from '../../blocks/access.js';
import { noteMessage } from '../../blocks/help.js';
import type { ViewListener } from '../types.js';

/** Submit of the break-glass review modal: recorded in the audit log and the grant's thread. */
const accessReview: ViewListener = {
  callbackId: AccessCallbackId.review,
  name: 'access-review',
  validate(input) {
    const notes = (input.values[AccessInput.notes]?.[AccessInput.value] ?? '').trim();
    return notes.length < 10
      ? {
          response_action: 'errors',
          errors: { [AccessInput.notes]: 'write what was done and why (at least 10 characters)' },
        }
      : undefined;
  },
  async run({ deps, input, notify }) {
    const notes = (input.values[AccessInput.notes]?.[AccessInput.value] ?? '').trim();
    const r = await reviewAccess(accessDepsOf(deps), {
      requestId: input.privateMetadata,
      reviewer: input.user,
      notes,
    });
    if (r.kind !== 'success')
      await notify(noteMessage(`Review not recorded: ${r.message}`, ':no_entry_sign:'));
  },
};
export default accessReview;
