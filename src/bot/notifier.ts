import type { Model } from '../compiler/model.js';
import { Redactor } from '../redact.js';
import type { Notifier, RunnerEvent } from '../runner/events.js';
import type { Store } from '../store/types.js';
import { afterApply } from './approval-apply.js';
import { renderApproval } from './approval-state.js';
import { createApproverDirectory } from './approvers.js';
import type { ArgoSync } from './argo.js';
import { createAuditor } from './audit.js';
import { shortDigest, who } from './blocks/common.js';
import { noteMessage } from './blocks/help.js';
import { planResultMessage } from './blocks/plan.js';
import type { BotDeps } from './deps.js';
import { reportDrift } from './drift.js';
import { MessageKind } from './ids.js';
import { createLog, type Log } from './log.js';
import { createMetrics } from './metrics.js';
import { planView } from './plan-view.js';
import { ref, reply, upsert } from './slack-messages.js';
import { Tasks } from './tasks.js';

/**
 * The runner's Slack notifier (`envc plan/apply/drift` with SLACK_BOT_TOKEN set, e.g. in CI): events go to
 * the spec's channel, one thread per plan and per incident, through the same message references as the
 * bot — so an approval request posted by a CI run is the message the bot's buttons update, and a drift
 * incident raised by `envc drift` is the thread the bot's scheduled checks reply in.
 *
 * - plan-ready (with changes): the plan summary as a message of its own (`plan` reference);
 * - awaiting-approval: the approval message with Approve / Deny / View plan;
 * - applied / failed: the approval (or plan) message updated, a reply in its thread; manual-sync
 *   environments get their ArgoCD sync when an ArgoCD client is configured (else the bot's sweeper does it);
 * - drift-found / drift-resolved: the incident's parent message and thread replies.
 */
export function slackNotifier(deps: BotDeps): Notifier {
  return {
    name: 'slack',
    async notify(e: RunnerEvent) {
      switch (e.type) {
        case 'plan-ready': {
          if (!e.hasChanges) return;
          const view = planView(e.env, e.digest, e.summary, { origins: deps.origins, revision: e.revision });
          await upsert(deps, MessageKind.plan, `${e.env}:${e.digest}`, planResultMessage(view, e.actor));
          return;
        }
        case 'awaiting-approval':
          // Older requests this one superseded (from the CLI path too) lose their buttons and say so.
          for (const old of e.superseded ?? [])
            await renderApproval(deps, e.env, old).catch((err: unknown) =>
              deps.log.warn('could not update superseded approval message', { env: e.env, error: err }),
            );
          await renderApproval(deps, e.env, e.digest);
          return;
        case 'applied': {
          const at = await renderApproval(deps, e.env, e.digest).catch(() => undefined);
          const parent = at ?? (await ref(deps, MessageKind.plan, `${e.env}:${e.digest}`));
          if (parent)
            await reply(
              deps,
              parent,
              noteMessage(
                `Applied \`${shortDigest(e.digest)}\` to ${e.env} (${who(e.actor)}, ${(e.durationMs / 1000).toFixed(1)} s)`,
                ':rocket:',
              ),
            );
          if (deps.argo) await afterApply(deps, e.env, e.digest);
          return;
        }
        case 'failed': {
          if (!e.digest) return;
          // The runner recorded the failure on the approval request: the parent shows it.
          const parent =
            (await renderApproval(deps, e.env, e.digest).catch(() => undefined)) ??
            (await ref(deps, MessageKind.plan, `${e.env}:${e.digest}`));
          if (parent)
            await reply(
              deps,
              parent,
              noteMessage(`${e.stage} of \`${shortDigest(e.digest)}\` failed: ${e.message}`, ':x:'),
            );
          return;
        }
        case 'drift-found':
          await reportDrift(
            deps,
            {
              kind: 'drift',
              env: e.env,
              fingerprint: e.fingerprint,
              summary: { outOfBand: e.infrastructure, unapplied: e.unapplied, staleFiles: e.staleFiles },
              incident: { id: e.incidentId, isNew: e.isNew, changed: e.changed },
            },
            e.actor,
          );
          return;
        case 'drift-resolved':
          await reportDrift(deps, { kind: 'clean', env: e.env, resolvedIncidentId: e.incidentId }, e.actor);
          return;
      }
    },
  };
}

/**
 * A Slack notifier for a CLI process: its own Web API client (no Bolt receiver), the store the runner
 * uses, logs to `sink` (stderr by default). Undefined without SLACK_BOT_TOKEN: events then go to the
 * terminal and the audit log only.
 */
export async function slackNotifierFromEnv(o: {
  env: NodeJS.ProcessEnv;
  store: Store;
  model: Model;
  argo?: ArgoSync;
  sink?: (line: string) => void;
}): Promise<Notifier | undefined> {
  const token = o.env.SLACK_BOT_TOKEN;
  if (!token) return undefined;
  const redactor = new Redactor([token, o.env.SLACK_APP_TOKEN, o.env.SLACK_SIGNING_SECRET]);
  const log: Log = createLog({
    level: 'warn',
    redactor,
    sink: o.sink ?? ((l) => process.stderr.write(`${l}\n`)),
  });
  const { webApi } = await import('@slack/bolt');
  const client = new webApi.WebClient(token, {
    ...(o.env.SLACK_API_URL
      ? { slackApiUrl: o.env.SLACK_API_URL.endsWith('/') ? o.env.SLACK_API_URL : `${o.env.SLACK_API_URL}/` }
      : {}),
    logLevel: webApi.LogLevel.ERROR,
  });
  const { usergroupHandles } = await import('./approvers.js');
  const now = () => new Date();
  const deps: BotDeps = {
    store: o.store,
    model: o.model,
    runner: {
      plan: async (env) => ({ kind: 'failed', env, message: 'not available in a notifier' }),
      drift: async (env) => ({ kind: 'failed', env, message: 'not available in a notifier' }),
      apply: async (env) => ({ kind: 'failed', env, message: 'not available in a notifier' }),
    },
    slack: client,
    log,
    metrics: await createMetrics({ defaultMetrics: false }),
    audit: createAuditor(o.store, log, now, (t) => redactor.text(t)),
    approvers: createApproverDirectory({
      lister: { usersOf: async (g) => (await client.usergroups.users.list({ usergroup: g })).users ?? [] },
      handles: usergroupHandles(o.model, o.env),
      log,
    }),
    argo: o.argo,
    now,
    tasks: new Tasks(log),
    channel: o.model.slack.channel,
    botActor: 'envc',
    redact: (t) => redactor.text(t),
  };
  return slackNotifier(deps);
}
