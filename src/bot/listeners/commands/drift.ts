import { noteMessage } from '../../blocks/help.js';
import { environments } from '../../deps.js';
import { checkDrift } from '../../drift.js';
import { driftText, driftView } from '../../drift-view.js';
import { defineSubCommand } from '../types.js';
import { envArg, noMoreArgs } from './args.js';

export default defineSubCommand<string[]>({
  name: 'drift',
  usage: 'drift [env]',
  summary: 'run a drift check now; findings go to the incident thread in the channel',
  audited: true,
  parse: (input, deps) => {
    const more = noMoreArgs(input.args, 1);
    if (!more.ok) return more;
    if (input.args[0] === undefined) return { ok: true, value: environments(deps.model) };
    const env = envArg(deps, input.args[0]);
    return env.ok ? { ok: true, value: [env.value] } : env;
  },
  ackWith: (envs) => noteMessage(`Checking ${envs.join(', ')} for drift…`, ':mag:'),
  run: async ({ deps, value, input, respond }) => {
    void deps.tasks.run(`drift ${value.join(',')}`, async () => {
      const lines: string[] = [];
      for (const env of value) {
        const r = await checkDrift(deps, env, input.user).catch((err: Error) => ({
          kind: 'failed' as const,
          env,
          message: err.message,
        }));
        switch (r.kind) {
          case 'clean':
            lines.push(`*${env}*: no drift`);
            break;
          case 'resolved':
            lines.push(`*${env}*: no drift — the open incident is resolved`);
            break;
          case 'failed':
            lines.push(`*${env}*: the check did not finish: ${r.message}`);
            break;
          default:
            lines.push(
              `*${env}*: drift (${driftText(driftView(r.incident.summary))}) — see the incident thread`,
            );
        }
      }
      await respond(noteMessage(lines.join('\n'), ':mag:'));
    });
  },
});
