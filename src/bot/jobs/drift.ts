import { environments } from '../deps.js';
import { checkDrift } from '../drift.js';
import type { Job } from './types.js';

/** Drift checks of every environment on the spec's `schedules.drift`; one environment's failure does not stop the rest. */
const drift: Job = {
  name: 'drift',
  schedule: (model) => model.schedules.drift,
  async run(deps) {
    const results: Record<string, string> = {};
    for (const env of environments(deps.model)) {
      try {
        results[env] = (await checkDrift(deps, env, deps.botActor)).kind;
      } catch (err) {
        results[env] = 'error';
        deps.log.error('drift check failed', { env, error: err });
      }
    }
    return results;
  },
};
export default drift;
