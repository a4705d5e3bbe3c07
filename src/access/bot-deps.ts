/** AccessDeps from the bot's dependencies: its store, audit, approver directory, Slack thread and profiles. */
import type { BotDeps } from '../bot/deps.js';
import { botIntegrations } from '../integrations/bot.js';
import { slackEmail } from './identity.js';
import { accessSlackEvents } from './notify-slack.js';
import type { AccessDeps } from './service.js';

export function accessDepsOf(deps: BotDeps): AccessDeps {
  const integrations = botIntegrations(deps);
  return {
    store: deps.store,
    model: deps.model,
    now: deps.now,
    kube: integrations.kube,
    audit: deps.audit,
    approvers: deps.approvers,
    emailOf: (user) => slackEmail(deps.slack as never, user),
    events: accessSlackEvents({
      slack: deps.slack as never,
      store: deps.store,
      channel: deps.channel,
      now: deps.now,
    }),
    warn: (msg, fields) => deps.log.warn(msg, fields),
  };
}
