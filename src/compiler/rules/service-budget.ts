import { cpu, memory, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/**
 * `quotas.perService` is the budget of one service, all replicas included; a service that needs more than
 * that eats another team's share of the namespace quota.
 */
export const serviceBudget: Rule = {
  code: 'ENVC2008',
  name: 'service-budget',
  title: "a service's requests × replicas fit the environment's per-service budget",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const budget = env.quotas.perService.requests;
      for (const svc of env.services) {
        // The HPA never goes below its min, so that is the floor the budget must hold.
        const replicas = Math.max(svc.replicas, svc.autoscaling?.min ?? 0);
        const needCpu = replicas * svc.resources.requests.cpu.value;
        const needMem = replicas * svc.resources.requests.memory.value;
        const hint = `lower \`replicas.${env.name}\` or the service's requests, or raise \`environments.${env.name}.quotas.perService.requests\``;
        if (needCpu > budget.cpu.value) {
          findings.push({
            origin: svc.origin,
            message: `service ${q(svc.name)} needs ${cpu(needCpu)} in ${q(env.name)} (${replicas} × ${svc.resources.requests.cpu.text}) but the per-service budget is ${q(budget.cpu.text)}`,
            hint,
          });
        }
        if (needMem > budget.memory.value) {
          findings.push({
            origin: svc.origin,
            message: `service ${q(svc.name)} needs ${memory(needMem)} memory in ${q(env.name)} (${replicas} × ${svc.resources.requests.memory.text}) but the per-service budget is ${q(budget.memory.text)}`,
            hint,
          });
        }
        if (replicas > env.quotas.podsPerService) {
          findings.push({
            origin: svc.origin,
            message: `service ${q(svc.name)} runs ${replicas} replicas in ${q(env.name)} but a service may run ${env.quotas.podsPerService} pods`,
            hint: `lower \`replicas.${env.name}\` or raise \`environments.${env.name}.quotas.podsPerService\``,
          });
        }
      }
    }
    return findings;
  },
};
