import { noteMessage } from '../../blocks/help.js';
import { environments } from '../../deps.js';
import { ActionId } from '../../ids.js';
import { planFromSlack } from '../../plan.js';
import type { ActionListener } from '../types.js';

/** Plan fix (drift incident): plans the environment and posts the result in the incident's thread. */
const planFix: ActionListener = {
  actionId: ActionId.driftPlanFix,
  name: 'drift_plan_fix',
  async run({ deps, input, respond }) {
    const env = input.value;
    if (!environments(deps.model).includes(env))
      return respond(noteMessage(`unknown environment "${env}"`, ':warning:'));
    // Double clicks: one plan per incident message at a time.
    const running = `planfix:${input.message?.ts ?? env}:${Math.floor(deps.now().getTime() / 60_000)}`;
    if (!(await deps.store.rememberSlackRequest(running))) {
      deps.metrics.duplicatesIgnored.inc({ kind: 'plan_fix' });
      return respond(
        noteMessage(`A plan of ${env} was just started from this incident.`, ':hourglass_flowing_sand:'),
      );
    }
    await deps.audit({
      actor: input.user,
      env,
      action: 'bot.command',
      details: { command: 'plan', via: 'drift_plan_fix' },
    });
    await respond(
      noteMessage(`Planning ${env}; the result goes to the incident thread.`, ':hourglass_flowing_sand:'),
    );
    void deps.tasks.run(`plan-fix ${env}`, async () => {
      await planFromSlack(deps, [env], input.user, input.message ? { thread: input.message } : {});
    });
  },
};
export default planFix;
