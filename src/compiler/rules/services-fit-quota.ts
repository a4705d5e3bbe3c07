import type { EnvironmentModel, Model, ServiceInstance } from '../model.js';
import { cpu, memory, q } from './shared.js';
import type { Finding, Rule } from './types.js';

/** Pods a service keeps running at least: its replicas, or the HPA's floor when that is higher. */
export function minimumReplicas(s: ServiceInstance): number {
  return Math.max(s.replicas, s.autoscaling?.min ?? 0);
}

interface Usage {
  services: number;
  requestsCpu: number;
  requestsMemory: number;
  limitsCpu: number;
  limitsMemory: number;
  pods: number;
}

/** Every quota dimension `used` exceeds, worded for the message (empty when everything fits). */
function overflows(env: EnvironmentModel, used: Usage): string[] {
  const t = env.quotas.total;
  const out: string[] = [];
  if (used.services > env.quotas.services)
    out.push(`${used.services} services (sized for ${env.quotas.services} by quotas.services)`);
  if (used.requestsCpu > t.requests.cpuMillis)
    out.push(`requests of ${cpu(used.requestsCpu)} (quota ${cpu(t.requests.cpuMillis)})`);
  if (used.requestsMemory > t.requests.memoryBytes)
    out.push(`requests of ${memory(used.requestsMemory)} memory (quota ${memory(t.requests.memoryBytes)})`);
  if (used.limitsCpu > t.limits.cpuMillis)
    out.push(`limits of ${cpu(used.limitsCpu)} (quota ${cpu(t.limits.cpuMillis)})`);
  if (used.limitsMemory > t.limits.memoryBytes)
    out.push(`limits of ${memory(used.limitsMemory)} memory (quota ${memory(t.limits.memoryBytes)})`);
  if (used.pods > t.pods) out.push(`${used.pods} pods (quota ${t.pods})`);
  return out;
}

/** Services of one namespace in the order a person reads them in the spec (the model sorts them by name). */
function inSpecOrder(model: Model, services: ServiceInstance[]): ServiceInstance[] {
  const order = Object.keys(model.serviceOrigins);
  return [...services].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

/**
 * The Kubernetes emitter gives every app (owner) namespace a ResourceQuota of the environment's whole budget
 * (`quotas.services` × `quotas.perService`, see kubernetes/namespaces.ts). The services deployed into one
 * namespace must fit it — their number, and the sum of requests and limits × the replicas they keep running
 * — or the API server refuses pods the spec asks for, long after the pull request was merged. Reported once
 * per namespace, at the first service (in spec order) that does not fit.
 */
export const servicesFitQuota: Rule = {
  code: 'ENVC2024',
  name: 'services-fit-quota',
  title: 'the services deployed into a namespace fit its quota (count, requests and limits × replicas, pods)',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const byNamespace = new Map<string, ServiceInstance[]>();
      for (const s of env.services)
        byNamespace.set(s.namespace, [...(byNamespace.get(s.namespace) ?? []), s]);
      for (const [ns, services] of byNamespace) {
        const used: Usage = {
          services: 0,
          requestsCpu: 0,
          requestsMemory: 0,
          limitsCpu: 0,
          limitsMemory: 0,
          pods: 0,
        };
        for (const s of inSpecOrder(model, services)) {
          const n = minimumReplicas(s);
          used.services += 1;
          used.requestsCpu += n * s.resources.requests.cpu.value;
          used.requestsMemory += n * s.resources.requests.memory.value;
          used.limitsCpu += n * s.resources.limits.cpu.value;
          used.limitsMemory += n * s.resources.limits.memory.value;
          used.pods += n;
          const over = overflows(env, used);
          if (over.length === 0) continue;
          findings.push({
            origin: s.origin,
            message: `service ${q(s.name)} does not fit the quota of namespace ${q(ns)} in ${q(env.name)}: with it, ${over.join(', ')}`,
            hint: `deploy it to fewer environments, give it to another owner (each owner namespace has its own quota), lower its requests, limits or replicas, or raise \`environments.${env.name}.quotas.services\` / \`quotas.perService\``,
          });
          break;
        }
      }
    }
    return findings;
  },
};
