import { denyPlan } from '../../approval.js';
import type { ConfirmMetadata } from '../../blocks/approval.js';
import { noteMessage } from '../../blocks/help.js';
import { CallbackId, InputId } from '../../ids.js';
import type { ViewListener } from '../types.js';

const denyConfirm: ViewListener = {
  callbackId: CallbackId.denyConfirm,
  name: 'deny_confirm',
  validate(input) {
    const reason = input.values[InputId.denyReasonBlock]?.[InputId.denyReasonInput] ?? '';
    return reason.length > 500
      ? { response_action: 'errors', errors: { [InputId.denyReasonBlock]: 'at most 500 characters' } }
      : undefined;
  },
  async run({ deps, input, notify }) {
    const m = JSON.parse(input.privateMetadata) as ConfirmMetadata;
    const reason = input.values[InputId.denyReasonBlock]?.[InputId.denyReasonInput]?.trim() || undefined;
    const j = await denyPlan(deps, { env: m.env, digest: m.digest, user: input.user, reason });
    if (!j.ok) await notify(noteMessage(`Not denied: ${j.message}`, ':no_entry_sign:'), m.channel);
  },
};
export default denyConfirm;
