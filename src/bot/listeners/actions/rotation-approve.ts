import { rotationDepsOf } from '../../../rotation/bot-deps.js';
import { approveRotation } from '../../../rotation/requests.js';
import { rotateSecret } from '../../../rotation/rotate.js';
import { noteMessage } from '../../blocks/help.js';
import { RotationActionId } from '../../blocks/rotation.js';
import type { ActionListener } from '../types.js';

/** Approve button of an on-demand rotation that waits for approval; the rotation then runs in the thread. */
const rotationApprove: ActionListener = {
  actionId: RotationActionId.approve,
  name: 'rotation-approve',
  async run({ deps, input, respond }) {
    const rotation = rotationDepsOf(deps);
    const a = await approveRotation(rotation, { rotationId: input.value, approver: input.user });
    if (a.kind !== 'ready') {
      return respond(
        noteMessage(
          a.kind === 'pending' ? a.message : `Not approved: ${a.message}`,
          a.kind === 'pending' ? ':thumbsup:' : ':no_entry_sign:',
        ),
      );
    }
    await respond(noteMessage(`${a.message} — follow the thread.`, ':arrows_counterclockwise:'));
    void deps.tasks.run(`rotate ${a.input.env}/${a.input.secret}`, async () => {
      await rotateSecret(rotation, a.input);
    });
  },
};
export default rotationApprove;
