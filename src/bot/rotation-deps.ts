/** Rotation dependencies from the bot's: its store, audit, approvers, the rotation thread in the channel. */

import type { ApprovalDeps } from '../rotation/requests.js';
import type { BotDeps } from './deps.js';
import { botIntegrations } from './integrations.js';
import { rotationSlackEvents } from './notify/rotation.js';

export function rotationDepsOf(deps: BotDeps): ApprovalDeps {
  const integrations = botIntegrations(deps);
  return {
    store: deps.store,
    model: deps.model,
    now: deps.now,
    kube: integrations.kube,
    linode: integrations.linode,
    audit: deps.audit,
    approvers: deps.approvers,
    events: rotationSlackEvents({
      slack: deps.slack as never,
      store: deps.store,
      channel: deps.channel,
      now: deps.now,
      model: deps.model,
    }),
    warn: (msg, fields) => deps.log.warn(msg, fields),
    sealedSecrets: integrations.sealedSecrets,
  };
}
