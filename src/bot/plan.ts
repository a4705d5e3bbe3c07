import { policyOf, requestApproval } from './approval.js';
import { noteMessage } from './blocks/help.js';
import { planFailedMessage, planResultMessage, planRunParent } from './blocks/plan.js';
import type { BotDeps } from './deps.js';
import { countsText, planView } from './plan-view.js';
import { type Posted, post, reply, update } from './slack-messages.js';

/**
 * A plan asked for in Slack (`/infra plan`, the drift incident's "Plan fix"): one parent message (or the
 * incident's thread), one reply per environment with its summary, the parent updated when all are done.
 * A plan with changes for an environment that needs approval opens an approval request; the bot applies it
 * once approved (it was not started by a CI job that would).
 */
export interface PlanRunResult {
  env: string;
  kind: 'planned' | 'failed';
  digest?: string;
  text: string;
}

export async function planFromSlack(
  deps: BotDeps,
  envs: string[],
  user: string,
  opts: { thread?: Posted } = {},
): Promise<PlanRunResult[]> {
  const parent = opts.thread ?? (await post(deps, planRunParent(envs, user)));
  const results: PlanRunResult[] = [];
  for (const env of envs) {
    const started = performance.now();
    const outcome = await deps.runner
      .plan(env, { actor: user })
      .catch((err: Error) => ({ kind: 'failed' as const, env, message: err.message }));
    deps.metrics.handlerDuration.observe(
      { kind: 'runner', name: 'plan' },
      (performance.now() - started) / 1000,
    );
    if (outcome.kind === 'failed') {
      await reply(deps, parent, planFailedMessage(env, outcome.message));
      results.push({ env, kind: 'failed', text: ':x: did not finish' });
      continue;
    }
    const view = planView(env, outcome.digest, outcome.summary, {
      origins: deps.origins,
      revision: outcome.revision,
    });
    await reply(deps, parent, planResultMessage(view, user));
    let text = `\`${countsText(view)}\``;
    if (outcome.hasChanges && policyOf(deps, env)?.required) {
      const at = await requestApproval(deps, {
        env,
        digest: outcome.digest,
        requester: user,
        applyBy: 'bot',
      });
      if (at) {
        const link = await deps.slack.chat
          .getPermalink({ channel: at.channel, message_ts: at.ts })
          .then((r) => r.permalink)
          .catch(() => undefined);
        await reply(
          deps,
          parent,
          noteMessage(
            `${env} needs approval: ${link ? `<${link}|approval request>` : 'see the approval request in the channel'}`,
            ':lock:',
          ),
        );
        text += ' — awaiting approval';
      }
    } else if (!outcome.hasChanges) text += ' — no changes';
    results.push({ env, kind: 'planned', digest: outcome.digest, text });
  }
  if (!opts.thread) await update(deps, parent, planRunParent(envs, user, results));
  return results;
}
