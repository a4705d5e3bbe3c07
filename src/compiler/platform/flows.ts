/**
 * The flow model: every connection the platform needs and every one it must never have, each as the hops
 * it takes through the network layers. Built from the model and the facts; evaluated in flow-check.ts. Pure.
 */
import { nsKey, type Pod, type Universe } from '../../traffic/universe.js';
import { PLATFORM, talksToApiServer } from '../emitters/kubernetes/platform.js';
import type { EnvironmentModel, Origin } from '../model.js';
import { external, findPod, pod } from './endpoints.js';
import type { PlatformFacts } from './facts.js';
import { forbiddenFlows } from './flows-forbidden.js';
import { ingressHosts } from './hosts.js';
import type { Hop } from './layers.js';
import { nodeTrafficFlows } from './node-traffic.js';
import { ACME_SOLVER_PORT, acmeSolver, COREDNS, WEBHOOKS } from './platform-pods.js';
import { controlPlaneClients, PROBE } from './sources.js';

export interface Flow {
  /** `needed` must pass every hop; `forbidden` must be stopped by at least one. */
  need: 'needed' | 'forbidden';
  env: string;
  /** Endpoint names `envc traffic` matches questions against (`system/argocd`, `production/postgres`). */
  from: string;
  to: string;
  title: string;
  hops: Hop[];
  origin: Origin;
  /** Code reported when the flow fails (defaults: 2601 needed, 2602 forbidden). */
  code?: string;
}

const anyPod = (env: string, ns: string): Pod => ({
  env,
  namespace: ns,
  name: '*',
  labels: {},
  ports: [],
  kind: 'any',
});

function envFlows(facts: PlatformFacts, u: Universe, env: EnvironmentModel): Flow[] {
  const flows: Flow[] = [];
  const e = env.name;
  const has = (ns: string) => u.namespaces.has(nsKey(e, ns));
  const add = (f: Omit<Flow, 'env'>) => flows.push({ ...f, env: e });
  const ingress = findPod(u, e, PLATFORM.ingress, 'ingress-nginx');
  const prometheus = findPod(u, e, PLATFORM.monitoring, 'prometheus');

  // Control plane ← ArgoCD, the bot, CI.
  for (const client of controlPlaneClients(facts.model))
    if (client.env !== e || client.viaPublicEndpoint)
      add({
        need: 'needed',
        from: client.name,
        to: `${e}/api-server`,
        title: `${client.what} → ${e}'s API server`,
        hops: [
          { layer: 'control-plane-acl', env: e, source: { what: client.what, cidrs: client.cidrs } },
          ...(client.env && client.namespace
            ? [
                {
                  layer: 'network-policy' as const,
                  env: client.env,
                  from: pod(
                    client.pod
                      ? findPod(u, client.env, client.namespace, client.pod)
                      : anyPod(client.env, client.namespace),
                  ),
                  to: external(PROBE.publicEndpoint),
                  port: 443,
                  protocol: 'TCP' as const,
                },
                {
                  layer: 'cloud-firewall' as const,
                  env: client.env,
                  direction: 'outbound' as const,
                  peer: PROBE.publicEndpoint,
                  protocol: 'TCP',
                  port: 443,
                },
              ]
            : []),
        ],
        origin: env.cluster.controlPlaneAcl.origin ?? env.cluster.origin,
      });

  // Controllers → their own cluster's API server, through the kubernetes Service to the control plane's
  // addresses: only the platform stack's policy (written once those addresses exist) admits it.
  for (const ns of env.namespaces)
    if (ns.kind !== 'app' && talksToApiServer(ns.name) && has(ns.name))
      add({
        need: 'needed',
        from: `${e}/${ns.name}`,
        to: `${e}/api-server`,
        title: `${e}/${ns.name} → its own API server (kubernetes Service)`,
        hops: [
          {
            layer: 'network-policy',
            env: e,
            from: pod(anyPod(e, ns.name)),
            to: external(PROBE.ownApiServer),
            port: 443,
            protocol: 'TCP',
            terraformPolicy: {
              resourceType: 'kubernetes_manifest',
              namespace: ns.name,
              refersTo: /\bapi_addresses\b/,
            },
          },
        ],
        origin: env.origin,
      });

  for (const s of env.services) {
    const sp = findPod(u, e, s.namespace, s.name);
    const src = `${e}/${s.name}`;
    if (s.dataServices.includes('postgres') && env.dataServices.postgres) {
      const pg = env.dataServices.postgres;
      const addr = env.network.vpc ? firstHost(env.network.vpc.subnet) : PROBE.database;
      for (const port of PROBE.postgresPorts)
        add({
          need: 'needed',
          from: src,
          to: `${e}/postgres`,
          title: `${s.name} → managed PostgreSQL of ${e} (port ${port}; the real port is the one Linode reports)`,
          hops: [
            {
              layer: 'network-policy',
              env: e,
              from: pod(sp),
              to: external(addr),
              port,
              protocol: 'TCP',
              terraformPolicy: {
                resourceType: 'kubernetes_manifest',
                namespace: s.namespace,
                // The database's port as Terraform learns it: the resource itself, or the variable it is passed in.
                refersTo:
                  /linode_database_postgresql_v2\.|var\.(?:database|database_members|postgres)\b[\w.[\]"]*\.port\b/,
              },
            },
            { layer: 'cloud-firewall', env: e, direction: 'outbound', peer: addr, protocol: 'TCP', port },
            {
              layer: 'database-allow-list',
              env: e,
              source: {
                what: `${e}'s nodes`,
                cidrs: env.network.vpc ? [env.network.vpc.subnet] : nodeEgress(env),
              },
            },
          ],
          origin: pg.origin,
        });
    }
    if (s.dataServices.includes('redis') && env.dataServices.redis) {
      const redis = findPod(u, e, PLATFORM.data, 'redis');
      const ports = env.dataServices.redis.replicas > 1 ? [6379, 26379] : [6379];
      for (const port of ports)
        add({
          need: 'needed',
          from: src,
          to: `${e}/redis`,
          title: `${s.name} → Redis of ${e} (${port})`,
          hops: [{ layer: 'network-policy', env: e, from: pod(sp), to: pod(redis), port, protocol: 'TCP' }],
          origin: env.dataServices.redis.origin,
        });
    }
    const objstore = env.secrets.some(
      (x) => x.source === 'linode-object-storage-key' && x.usedBy.includes(s.name),
    );
    if (objstore)
      add({
        need: 'needed',
        from: src,
        to: `${e}/object-storage`,
        title: `${s.name} → Object Storage (${facts.model.stateBackend.endpoint.replace(/^https:\/\//, '')})`,
        hops: [
          {
            layer: 'network-policy',
            env: e,
            from: pod(sp),
            to: external(PROBE.publicEndpoint),
            port: 443,
            protocol: 'TCP',
          },
          {
            layer: 'cloud-firewall',
            env: e,
            direction: 'outbound',
            peer: PROBE.publicEndpoint,
            protocol: 'TCP',
            port: 443,
          },
        ],
        origin: s.origin,
      });
    for (const allow of env.network.egressAllowlist)
      for (const cidr of allow.cidrs)
        for (const port of allow.ports) {
          const addr = firstHost(cidr);
          add({
            need: 'needed',
            from: src,
            to: `${e}/egress:${allow.name}`,
            title: `${s.name} → egress allowlist "${allow.name}" (${cidr}:${port})`,
            hops: [
              {
                layer: 'network-policy',
                env: e,
                from: pod(sp),
                to: external(addr),
                port,
                protocol: allow.protocol,
              },
              {
                layer: 'cloud-firewall',
                env: e,
                direction: 'outbound',
                peer: addr,
                protocol: allow.protocol,
                port,
              },
            ],
            origin: allow.origin,
          });
        }
    if (s.ingress)
      add({
        need: 'needed',
        from: `${e}/ingress-nginx`,
        to: src,
        title: `ingress-nginx → ${s.name} (${s.port})`,
        hops: [
          { layer: 'network-policy', env: e, from: pod(ingress), to: pod(sp), port: s.port, protocol: 'TCP' },
        ],
        origin: s.ingress.origin,
      });
    if (s.metrics && has(PLATFORM.monitoring))
      add({
        need: 'needed',
        from: `${e}/prometheus`,
        to: src,
        title: `Prometheus → ${s.name} metrics (${s.metrics.port})`,
        hops: [
          {
            layer: 'network-policy',
            env: e,
            from: pod(prometheus),
            to: pod(sp),
            port: s.metrics.port,
            protocol: 'TCP',
          },
        ],
        origin: s.origin,
      });
  }

  // Ingress hosts: a DNS name each, and ingress-nginx may reach the HTTP-01 solver in the host's namespace.
  const hosts = ingressHosts(facts).filter((h) => h.env === e);
  for (const h of hosts)
    add({
      need: 'needed',
      from: 'internet',
      to: `dns:${h.host}`,
      title: `DNS name for the Ingress host ${h.host}`,
      hops: [{ layer: 'dns', env: e, host: h.host }],
      origin: h.origin,
      code: 'ENVC2603',
    });
  for (const ns of [...new Set(hosts.map((h) => h.namespace))])
    add({
      need: 'needed',
      from: `${e}/ingress-nginx`,
      to: `${e}/${ns}/acme-http01-solver`,
      title: `ingress-nginx → cert-manager's HTTP-01 solver in ${ns} (${ACME_SOLVER_PORT})`,
      hops: [
        {
          layer: 'network-policy',
          env: e,
          from: pod(ingress),
          to: pod(acmeSolver(e, ns)),
          port: ACME_SOLVER_PORT,
          protocol: 'TCP',
        },
      ],
      origin: hosts.find((h) => h.namespace === ns)!.origin,
    });

  // Prometheus → what kube-prometheus-stack scrapes by default in-cluster; the API server → webhooks.
  if (has(PLATFORM.monitoring)) {
    add({
      need: 'needed',
      from: `${e}/prometheus`,
      to: `${e}/kube-system/coredns`,
      title: 'Prometheus → CoreDNS metrics (9153)',
      hops: [
        {
          layer: 'network-policy',
          env: e,
          from: pod(prometheus),
          to: pod({ ...COREDNS, env: e }),
          port: 9153,
          protocol: 'TCP',
        },
      ],
      origin: env.origin,
    });
  }
  for (const w of WEBHOOKS) {
    if (!has(w.namespace)) continue;
    add({
      need: 'needed',
      from: `${e}/api-server`,
      to: `${e}/${w.namespace}/${w.name}`,
      title: `API server → admission webhook ${w.name} (${w.ports[0]!.port})`,
      hops: [
        {
          layer: 'network-policy',
          env: e,
          from: external(PROBE.controlPlane),
          to: pod(findPod(u, e, w.namespace, w.name)),
          port: w.ports[0]!.port,
          protocol: 'TCP',
        },
      ],
      origin: env.origin,
    });
  }
  // Every namespace resolves names through CoreDNS.
  for (const ns of env.namespaces)
    for (const protocol of ['UDP', 'TCP'] as const)
      add({
        need: 'needed',
        from: `${e}/${ns.name}/*`,
        to: `${e}/kube-system/coredns`,
        title: `pods in ${ns.name} → CoreDNS (${protocol}/53)`,
        hops: [
          {
            layer: 'network-policy',
            env: e,
            from: pod(anyPod(e, ns.name)),
            to: pod({ ...COREDNS, env: e }),
            port: 53,
            protocol,
          },
        ],
        origin: env.origin,
      });
  flows.push(...nodeTrafficFlows(env));
  return flows;
}

function firstHost(cidr: string): string {
  const [addr] = cidr.split('/');
  const parts = addr!.split('.').map(Number);
  if (parts.length !== 4) return addr!;
  parts[3] = Math.min(parts[3]! + 1, 254);
  return parts.join('.');
}

/** Public ranges the environment's nodes leave from, as the spec declares them (`network.nodeEgress`). */
function nodeEgress(env: EnvironmentModel): string[] {
  const v = (env.network as unknown as { nodeEgress?: unknown }).nodeEgress;
  return Array.isArray(v) ? v.map(String) : [];
}

/** Every needed and forbidden flow of the platform. */
export function platformFlows(facts: PlatformFacts, universe: Universe): Flow[] {
  return [
    ...facts.model.environments.flatMap((e) => envFlows(facts, universe, e)),
    ...forbiddenFlows(facts, universe),
  ];
}
