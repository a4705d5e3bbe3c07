/**
 * The integrations a bot uses: `deps.integrations` when the bot was built with them (tests, main.ts), else
 * built once per bot from the process environment (LINODE_TOKEN, ENVC_KUBECONFIG_<ENV>, …).
 */

import { type Integrations, integrationsFromEnv } from '../integrations/deps.js';
import type { BotDeps } from './deps.js';
import { outboundLog } from './outbound.js';

const cache = new WeakMap<object, Integrations>();

export function botIntegrations(deps: BotDeps): Integrations {
  if (deps.integrations) return deps.integrations;
  let i = cache.get(deps);
  if (!i) {
    i = integrationsFromEnv(process.env, deps.model, outboundLog(deps.log));
    cache.set(deps, i);
  }
  return i;
}
