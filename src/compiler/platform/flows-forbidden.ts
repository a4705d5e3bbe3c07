/** Flows that must never exist: one environment into another, the internet into data services. Pure. */
import { nsKey, type Pod, type Universe } from '../../traffic/universe.js';
import { PLATFORM } from '../emitters/kubernetes/platform.js';
import { external, findPod, pod } from './endpoints.js';
import type { PlatformFacts } from './facts.js';
import type { Flow } from './flows.js';
import { PROBE } from './sources.js';

export function forbiddenFlows(facts: PlatformFacts, u: Universe): Flow[] {
  const flows: Flow[] = [];
  const envs = facts.model.environments;
  // One environment → another: each service is checked against the same-named pods of a neighbour
  // environment (the look-alike a loose selector would let in), its ingress-nginx and its Prometheus.
  envs.forEach((b, i) => {
    const a = envs[(i + 1) % envs.length];
    if (!a || a === b) return;
    for (const target of b.services) {
      const to = findPod(u, b.name, target.namespace, target.name);
      const twin = a.services.find((s) => s.name === target.name) ?? a.services[0];
      const sources: Array<[string, Pod]> = [
        ...(twin
          ? [[`${a.name}/${twin.name}`, findPod(u, a.name, twin.namespace, twin.name)] as [string, Pod]]
          : []),
        [`${a.name}/ingress-nginx`, findPod(u, a.name, PLATFORM.ingress, 'ingress-nginx')],
        [`${a.name}/prometheus`, findPod(u, a.name, PLATFORM.monitoring, 'prometheus')],
      ];
      for (const [name, from] of sources)
        for (const port of [target.port, ...(target.metrics ? [target.metrics.port] : [])])
          flows.push({
            need: 'forbidden',
            env: b.name,
            from: name,
            to: `${b.name}/${target.name}`,
            title: `${name} → ${b.name}/${target.name}:${port} (across environments)`,
            hops: [
              { layer: 'network-policy', env: b.name, from: pod(from), to: pod(to), port, protocol: 'TCP' },
            ],
            origin: target.origin,
          });
    }
  });
  for (const env of envs) {
    const e = env.name;
    if (env.dataServices.redis && u.namespaces.has(nsKey(e, PLATFORM.data)))
      flows.push({
        need: 'forbidden',
        env: e,
        from: 'internet',
        to: `${e}/redis`,
        title: `the internet → Redis of ${e}`,
        hops: [
          {
            layer: 'cloud-firewall',
            env: e,
            direction: 'inbound',
            peer: PROBE.internet,
            protocol: 'TCP',
            port: 6379,
          },
          {
            layer: 'network-policy',
            env: e,
            from: external(PROBE.internet),
            to: pod(findPod(u, e, PLATFORM.data, 'redis')),
            port: 6379,
            protocol: 'TCP',
          },
        ],
        origin: env.dataServices.redis.origin,
      });
    if (env.dataServices.postgres)
      flows.push({
        need: 'forbidden',
        env: e,
        from: 'internet',
        to: `${e}/postgres`,
        title: `the internet → managed PostgreSQL of ${e}`,
        hops: [
          { layer: 'database-allow-list', env: e, source: { what: 'the internet', cidrs: ['0.0.0.0/0'] } },
        ],
        origin: env.dataServices.postgres.origin,
      });
  }
  return flows;
}
