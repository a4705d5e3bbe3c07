import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * Alertmanager's Watchdog alert fires all the time so that its absence means the alerting pipeline is down.
 * Without a heartbeat URL it goes to a null receiver and nobody notices a dead Prometheus or Alertmanager.
 */
export const deadMansSwitch: Rule = {
  code: 'ENVC2043',
  name: 'dead-mans-switch',
  title: "every environment's Watchdog alert pings a dead-man's switch",
  severity: 'warning',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      if (env.observability.heartbeatUrl) continue;
      findings.push({
        origin: env.origin,
        message: `environment ${q(env.name)} has no dead-man's switch: its Watchdog alert goes nowhere, so a broken alerting pipeline stays silent`,
        hint: 'set `observability.heartbeatUrl` to a heartbeat check (e.g. a healthchecks.io ping URL) that pages when the pings stop',
      });
    }
    return findings;
  },
};
