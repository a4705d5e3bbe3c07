import { suggest } from '../diagnostics/suggest.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * `usedBy` decides which deployments restart after a rotation and which namespaces get the sealed secret; a
 * service that does not exist, or does not run where the secret is, silently gets nothing.
 */
export const secretUsedBy: Rule = {
  code: 'ENVC2019',
  name: 'secret-used-by',
  title: "a secret's usedBy services exist and run in each of the secret's environments",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    const known = Object.keys(model.serviceOrigins);
    for (const s of model.secrets) {
      // envc derives a platform secret's users per environment (the services using Redis there).
      if (s.platform) continue;
      for (const name of s.usedBy) {
        if (!known.includes(name)) {
          const near = suggest(name, known);
          findings.push({
            origin: s.origin,
            message: `secret ${q(s.name)} is used by unknown service ${q(name)}`,
            hint: near ? `did you mean ${q(near)}?` : `known services: ${known.join(', ') || 'none'}`,
          });
          continue;
        }
        const absent = s.environments.filter((envName) => {
          const env = model.environments.find((e) => e.name === envName);
          return env !== undefined && !env.services.some((svc) => svc.name === name);
        });
        if (absent.length > 0) {
          const where = absent.map((a) => q(a)).join(', ');
          const runs = s.environments.filter((e) => !absent.includes(e));
          findings.push({
            origin: s.origin,
            message: `secret ${q(s.name)} is used by ${q(name)}, which does not run in ${where}`,
            // `[all]` has no name to remove: say which list to write instead.
            hint: s.environmentsAll
              ? `the secret's \`environments\` is [all]; list where ${q(name)} runs instead (environments: [${runs.join(', ')}]), or deploy ${q(name)} in ${where}`
              : `remove ${where} from the secret's \`environments\`, or deploy ${q(name)} there`,
          });
        }
      }
    }
    return findings;
  },
};
