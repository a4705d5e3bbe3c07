import { denyRotation, requestRotation } from '../../../rotation/requests.js';
import { freshness, secretTargets } from '../../../rotation/schedule.js';
import { message, section } from '../../blocks/common.js';
import { noteMessage } from '../../blocks/help.js';
import { rotationDepsOf } from '../../rotation-deps.js';
import { approveAndRotate } from '../actions/rotation-approve.js';
import { defineSubCommand } from '../types.js';
import { envArg } from './args.js';

type RotateCommand =
  | { kind: 'rotate'; secret: string; env: string; reason?: string }
  | { kind: 'status'; env?: string }
  | { kind: 'approve'; id: string }
  | { kind: 'deny'; id: string; reason?: string };

/**
 * `/infra rotate <secret> <env> [reason]` rotates now (production waits for an approver, in the thread's
 * buttons or `/infra rotate approve <id>`); `/infra rotate status [env]` shows when each secret is due.
 */
export default defineSubCommand<RotateCommand>({
  name: 'rotate',
  usage: 'rotate <secret> <env> [reason] | status [env] | approve <id> | deny <id> [reason]',
  summary: 'rotate a secret now (one thread per rotation), or show when each secret is due',
  audited: true,
  parse: (input, deps) => {
    const [first, second] = input.args;
    if (first === undefined) return { ok: false, error: 'name a secret and an environment' };
    if (first === 'status') {
      if (!second) return { ok: true, value: { kind: 'status' } };
      const env = envArg(deps, second);
      return env.ok ? { ok: true, value: { kind: 'status', env: env.value } } : env;
    }
    if (first === 'approve' || first === 'deny') {
      if (!second || !/^[A-Za-z0-9_-]{3,64}$/.test(second))
        return { ok: false, error: `${first} needs a rotation id` };
      const reason = input.rest
        .trim()
        .slice(input.rest.trim().indexOf(second) + second.length)
        .trim();
      return {
        ok: true,
        value:
          first === 'approve'
            ? { kind: 'approve', id: second }
            : { kind: 'deny', id: second, ...(reason ? { reason } : {}) },
      };
    }
    const names = deps.model.secrets.map((s) => s.name);
    if (!names.includes(first))
      return { ok: false, error: `unknown secret "${first}" (known: ${names.join(', ') || 'none'})` };
    const env = envArg(deps, second);
    if (!env.ok) return env;
    if (!deps.model.environments.find((e) => e.name === env.value)?.secrets.some((s) => s.name === first)) {
      return { ok: false, error: `secret "${first}" is not used in ${env.value}` };
    }
    const rest = input.rest.trim();
    const reason = rest.slice(rest.indexOf(second as string) + (second as string).length).trim();
    if (reason.length > 500) return { ok: false, error: 'the reason is longer than 500 characters' };
    return {
      ok: true,
      value: { kind: 'rotate', secret: first, env: env.value, ...(reason ? { reason } : {}) },
    };
  },
  ackWith: () => undefined,
  run: async ({ deps, value, input, respond }) => {
    const rotation = rotationDepsOf(deps);
    switch (value.kind) {
      case 'status': {
        const now = deps.now();
        const lines: string[] = [];
        for (const t of secretTargets(deps.model, value.env ? { env: value.env } : {})) {
          const f = freshness(t, await deps.store.lastRotation(t.env, t.secret, 'succeeded'), now);
          lines.push(
            `*${t.env}/${t.secret}* — ${f.rotatedAt ? `rotated ${f.rotatedAt.toISOString()}` : 'never rotated by envc'}; ${f.due ? '*due now*' : `due ${f.nextDue.toISOString()}`}`,
          );
        }
        return respond(
          message(`${lines.length} secret(s)`, [section(lines.join('\n') || 'No secrets in the spec.')]),
        );
      }
      case 'rotate': {
        // The request (or refusal) is quick; a rotation that may run is long, so it goes to a task.
        void deps.tasks.run(`rotate ${value.env}/${value.secret}`, async () => {
          const r = await requestRotation(rotation, {
            env: value.env,
            secret: value.secret,
            requester: input.user,
            ...(value.reason ? { reason: value.reason } : {}),
          });
          if (r.kind === 'pending')
            await respond(noteMessage(`Waiting for approval: ${r.message}`, ':hourglass:'));
          else if (r.kind === 'failure')
            await respond(noteMessage(`Not rotated: ${r.message}`, ':no_entry_sign:'));
          else
            await respond(
              noteMessage(
                r.kind === 'success' ? r.message : `Rotation failed: ${r.message} (see the thread)`,
                r.kind === 'success' ? ':white_check_mark:' : ':x:',
              ),
            );
        });
        return;
      }
      case 'approve':
        return approveAndRotate(deps, rotation, { rotationId: value.id, approver: input.user }, respond);
      case 'deny': {
        const r = await denyRotation(rotation, {
          rotationId: value.id,
          actor: input.user,
          ...(value.reason ? { reason: value.reason } : {}),
        });
        return respond(noteMessage(r.message, ':no_entry:'));
      }
    }
  },
});
