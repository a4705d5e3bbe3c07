import { suggest } from '../diagnostics/suggest.js';
import { knownPlanTypes, linodePlan } from '../linode-types.js';
import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Capacity checks need the plan's size; an unknown plan is most often a typo that Linode will reject. */
export const knownNodePlan: Rule = {
  code: 'ENVC2007',
  name: 'known-node-plan',
  title: 'node pools and databases use Linode plans envc knows (so capacity can be checked)',
  severity: 'warning',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const items = env.cluster.pools.map((p) => ({
        type: p.type,
        origin: p.origin,
        what: `node pool ${q(p.name)}`,
      }));
      const pg = env.dataServices.postgres;
      if (pg) items.push({ type: pg.type, origin: pg.origin, what: 'postgres' });
      for (const item of items) {
        if (linodePlan(item.type)) continue;
        const near = suggest(item.type, knownPlanTypes);
        findings.push({
          origin: item.origin,
          message: `${item.what} in ${q(env.name)} uses plan ${q(item.type)}, which envc does not know; its capacity is not checked`,
          hint: near
            ? `did you mean ${q(near)}?`
            : 'check the id against `linode-cli linodes types`; if the plan is new, add it to src/compiler/linode-types.ts',
        });
      }
    }
    return findings;
  },
};
