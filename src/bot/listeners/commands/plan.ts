import { noteMessage } from '../../blocks/help.js';
import { environments } from '../../deps.js';
import { planFromSlack } from '../../plan.js';
import { defineSubCommand } from '../types.js';
import { envArg, noMoreArgs } from './args.js';

export default defineSubCommand<string[]>({
  name: 'plan',
  usage: 'plan <env|all>',
  summary:
    'plan an environment (or all); the summary is posted in a thread, approvals are requested where needed',
  audited: true,
  parse: (input, deps) => {
    const more = noMoreArgs(input.args, 1);
    if (!more.ok) return more;
    const env = envArg(deps, input.args[0], { allowAll: true });
    if (!env.ok) return env;
    return { ok: true, value: env.value === 'all' ? environments(deps.model) : [env.value] };
  },
  ackWith: (envs) =>
    noteMessage(
      `Planning ${envs.join(', ')} — the summary will be posted in a thread in the channel.`,
      ':hourglass_flowing_sand:',
    ),
  run: async ({ deps, value, input }) => {
    void deps.tasks.run(`plan ${value.join(',')}`, async () => {
      await planFromSlack(deps, value, input.user);
    });
  },
});
