import {
  approveAccess,
  denyAccess,
  listAccess,
  requestAccess,
  reviewAccess,
  revokeAccess,
} from '../../../access/service.js';
import { accessDepsOf } from '../../access-deps.js';
import { accessListMessage, accessRequestModal } from '../../blocks/access.js';
import { noteMessage, outcomeNote } from '../../blocks/help.js';
import { defineSubCommand } from '../types.js';
import { envArg } from './args.js';

type AccessCommand =
  | { kind: 'modal'; env?: string; policy?: string }
  | { kind: 'request'; env: string; target: string; duration: string; reason: string }
  | { kind: 'list'; env?: string }
  | { kind: 'approve' | 'revoke' | 'deny' | 'review'; id: string; text?: string };

const ID = /^[A-Za-z0-9_-]{3,64}$/;

/**
 * `/infra access <env> <policy|role> <duration> <reason>` (a modal when arguments are missing),
 * `/infra access list [env]`, `/infra access revoke <id> [reason]`, and `approve|deny|review <id>`.
 */
export default defineSubCommand<AccessCommand>({
  name: 'access',
  usage:
    'access <env> <policy|role> <duration> <reason> | list [env] | revoke <id> | approve <id> | deny <id> [reason]',
  summary: 'just-in-time Kubernetes access: request (modal without arguments), list, revoke, approve, deny',
  audited: true,
  parse: (input, deps) => {
    const [first, second] = input.args;
    const textAfter = (n: number) => {
      let rest = input.rest.trim();
      for (const arg of input.args.slice(0, n)) rest = rest.slice(rest.indexOf(arg) + arg.length).trim();
      return input.args.length >= n ? rest : '';
    };
    if (first === undefined) return { ok: true, value: { kind: 'modal' } };
    if (first === 'list') {
      if (second === undefined) return { ok: true, value: { kind: 'list' } };
      const env = envArg(deps, second);
      return env.ok ? { ok: true, value: { kind: 'list', env: env.value } } : env;
    }
    if (first === 'approve' || first === 'revoke' || first === 'deny' || first === 'review') {
      if (!second || !ID.test(second))
        return { ok: false, error: `${first} needs a request id (see \`/infra access list\`)` };
      const text = textAfter(2);
      if (first === 'review' && text.length < 10)
        return { ok: false, error: 'review needs notes: what was done and whether it was justified' };
      if (text.length > 2000) return { ok: false, error: 'the text is longer than 2000 characters' };
      return { ok: true, value: { kind: first, id: second, ...(text ? { text } : {}) } };
    }
    const env = envArg(deps, first);
    if (!env.ok) return env;
    const [, target, duration] = input.args;
    const reason = textAfter(3);
    // Missing pieces: the modal asks for them (with what was given already filled in).
    if (!target || !duration || !reason)
      return { ok: true, value: { kind: 'modal', env: env.value, ...(target ? { policy: target } : {}) } };
    if (reason.length > 500) return { ok: false, error: 'the reason is longer than 500 characters' };
    return { ok: true, value: { kind: 'request', env: env.value, target, duration, reason } };
  },
  ackWith: () => undefined,
  run: async ({ deps, value, input, respond, openModal }) => {
    const access = accessDepsOf(deps);
    switch (value.kind) {
      case 'modal':
        return openModal(
          accessRequestModal(deps.model, {
            ...(value.env ? { env: value.env } : {}),
            ...(value.policy ? { policy: value.policy } : {}),
          }),
        );
      case 'list':
        return respond(accessListMessage(await listAccess(access, value.env ? { env: value.env } : {})));
      case 'request': {
        const r = await requestAccess(access, {
          requester: input.user,
          env: value.env,
          target: value.target,
          duration: value.duration,
          reason: value.reason,
        });
        if (r.kind !== 'success')
          return respond(noteMessage(`Not requested: ${r.message}`, ':no_entry_sign:'));
        return respond(
          noteMessage(
            `Requested (\`${r.value.id}\`): ${r.message}. Approvers were asked in ${deps.channel}.`,
            ':hourglass:',
          ),
        );
      }
      case 'approve': {
        const r = await approveAccess(access, { requestId: value.id, approver: input.user });
        return respond(
          outcomeNote(r, { done: r.message, icon: ':white_check_mark:', notDone: 'Not approved' }),
        );
      }
      case 'deny': {
        const r = await denyAccess(access, {
          requestId: value.id,
          actor: input.user,
          ...(value.text ? { reason: value.text } : {}),
        });
        return respond(
          outcomeNote(r, {
            done: `Request ${value.id} ${r.message}.`,
            icon: ':no_entry:',
            notDone: 'Not denied',
          }),
        );
      }
      case 'revoke': {
        const r = await revokeAccess(access, {
          requestId: value.id,
          actor: input.user,
          reason: value.text ?? 'revoked with /infra access revoke',
        });
        return respond(
          outcomeNote(r, {
            done: `Grant ${value.id} revoked; its bindings are deleted.`,
            icon: ':lock:',
            notDone: 'Not revoked',
          }),
        );
      }
      case 'review': {
        const r = await reviewAccess(access, {
          requestId: value.id,
          reviewer: input.user,
          notes: value.text ?? '',
        });
        return respond(
          outcomeNote(r, { done: 'Review recorded in the thread.', icon: ':memo:', notDone: 'Not recorded' }),
        );
      }
    }
  },
});
