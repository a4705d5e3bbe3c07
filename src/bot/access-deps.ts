/** AccessDeps from the bot's dependencies: its store, audit, approver directory, Slack thread and profiles. */

import { slackEmail } from '../access/identity.js';
import type { AccessDeps } from '../access/service.js';
import type { BotDeps } from './deps.js';
import { botIntegrations } from './integrations.js';
import { accessSlackEvents } from './notify/access.js';

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
