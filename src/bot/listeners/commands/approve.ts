import { judgeUser, loadPlanView, recordRefusal } from '../../approval.js';
import { approveConfirmModal } from '../../blocks/approval.js';
import { noteMessage } from '../../blocks/help.js';
import { MessageKind } from '../../ids.js';
import { ref } from '../../slack-messages.js';
import { defineSubCommand } from '../types.js';
import { digestArg, envArg, noMoreArgs } from './args.js';

/**
 * `/infra approve <env> [digest-prefix]`: checks the approver, then opens the confirmation modal (the
 * approval is recorded on its submit, see views/approve-confirm.ts).
 */
export default defineSubCommand<{ env: string; digest?: string }>({
  name: 'approve',
  usage: 'approve <env> [digest-prefix]',
  summary: "approve the plan waiting for approval (you can't approve your own)",
  parse: (input, deps) => {
    const more = noMoreArgs(input.args, 2);
    if (!more.ok) return more;
    const env = envArg(deps, input.args[0]);
    if (!env.ok) return env;
    const digest = digestArg(input.args[1]);
    if (!digest.ok) return digest;
    return { ok: true, value: { env: env.value, digest: digest.value } };
  },
  ackWith: () => undefined,
  run: async ({ deps, value, input, respond, openModal }) => {
    const a = { env: value.env, user: input.user, digest: value.digest, action: 'approve' as const };
    const j = await judgeUser(deps, a);
    if (!j.ok) {
      await recordRefusal(deps, a, j);
      await respond(noteMessage(`Not approved: ${j.message}`, ':no_entry_sign:'));
      return;
    }
    const at = await ref(deps, MessageKind.approval, `${value.env}:${j.request.digest}`);
    const plan = await loadPlanView(deps, value.env, j.request.digest);
    await openModal(
      approveConfirmModal(
        plan,
        { env: value.env, digest: j.request.digest, ...(at ?? {}) },
        j.request.requester,
      ),
    );
  },
});
