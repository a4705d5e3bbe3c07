import { type ApprovalDeps, approveRotation } from '../../../rotation/requests.js';
import { rotateSecret } from '../../../rotation/rotate.js';
import type { MessageContent } from '../../blocks/common.js';
import { noteMessage } from '../../blocks/help.js';
import { RotationActionId } from '../../blocks/rotation.js';
import type { BotDeps } from '../../deps.js';
import { rotationDepsOf } from '../../rotation-deps.js';
import type { ActionListener } from '../types.js';

/**
 * One approval of a rotation waiting for approvers; once there are enough, the rotation runs as a task (it
 * is long) and reports in its thread. The button and `/infra rotate approve <id>` both come here.
 */
export async function approveAndRotate(
  deps: BotDeps,
  rotation: ApprovalDeps,
  input: { rotationId: string; approver: string },
  respond: (content: MessageContent) => Promise<void>,
): Promise<void> {
  const a = await approveRotation(rotation, input);
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
}

/** Approve button of an on-demand rotation that waits for approval; the rotation then runs in the thread. */
const rotationApprove: ActionListener = {
  actionId: RotationActionId.approve,
  name: 'rotation-approve',
  run: ({ deps, input, respond }) =>
    approveAndRotate(deps, rotationDepsOf(deps), { rotationId: input.value, approver: input.user }, respond),
};
export default rotationApprove;
