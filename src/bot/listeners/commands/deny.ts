import { denyPlan } from '../../approval.js';
import { shortDigest } from '../../blocks/common.js';
import { noteMessage } from '../../blocks/help.js';
import { defineSubCommand } from '../types.js';
import { envArg } from './args.js';

export default defineSubCommand<{ env: string; reason?: string }>({
  name: 'deny',
  usage: 'deny <env> [reason]',
  summary: 'deny the plan waiting for approval, with a reason that is posted and audited',
  parse: (input, deps) => {
    const env = envArg(deps, input.args[0]);
    if (!env.ok) return env;
    const reason = input.rest.trim().slice(input.args[0]!.length).trim();
    if (reason.length > 500) return { ok: false, error: 'the reason is longer than 500 characters' };
    return { ok: true, value: { env: env.value, reason: reason || undefined } };
  },
  ackWith: () => undefined,
  run: async ({ deps, value, input, respond }) => {
    const j = await denyPlan(deps, { env: value.env, user: input.user, reason: value.reason });
    await respond(
      j.ok
        ? noteMessage(`Denied the plan \`${shortDigest(j.request.digest)}\` of ${value.env}.`, ':no_entry:')
        : noteMessage(`Not denied: ${j.message}`, ':no_entry_sign:'),
    );
  },
});
