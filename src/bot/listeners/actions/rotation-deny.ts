import { denyRotation } from '../../../rotation/requests.js';
import { noteMessage } from '../../blocks/help.js';
import { RotationActionId } from '../../blocks/rotation.js';
import { rotationDepsOf } from '../../rotation-deps.js';
import type { ActionListener } from '../types.js';

/** Deny button of a rotation request (approvers, or the requester withdrawing it). */
const rotationDeny: ActionListener = {
  actionId: RotationActionId.deny,
  name: 'rotation-deny',
  async run({ deps, input, respond }) {
    const r = await denyRotation(rotationDepsOf(deps), { rotationId: input.value, actor: input.user });
    await respond(noteMessage(r.message, ':no_entry:'));
  },
};
export default rotationDeny;
