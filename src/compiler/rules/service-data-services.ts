import type { Finding, Rule } from './types.js';
import { q } from './shared.js';

/** A service asking for PostgreSQL or Redis in an environment that has none gets no endpoint and crash-loops. */
export const serviceDataServices: Rule = {
  code: 'ENVC2022',
  name: 'service-data-services',
  title: 'data services a service uses exist in every environment it runs in',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      for (const svc of env.services) {
        for (const ds of svc.dataServices) {
          if (env.dataServices[ds]) continue;
          findings.push({
            origin: svc.origin,
            message: `service ${q(svc.name)} uses ${ds} but ${q(env.name)} declares no ${ds}`,
            hint: `add \`environments.${env.name}.dataServices.${ds}\`, or stop deploying ${q(svc.name)} to ${q(env.name)}`,
          });
        }
      }
    }
    return findings;
  },
};
