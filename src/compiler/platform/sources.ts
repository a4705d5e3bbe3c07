/**
 * Who talks to the clusters' API servers from outside them, and the representative addresses the flow model
 * uses where the real one is only known after apply (a database's host, Object Storage, an API endpoint).
 */
import { BOT_NAMESPACE, PLATFORM } from '../emitters/kubernetes/platform.js';
import type { Model } from '../model.js';

export const PROBE = {
  /** Some public address: an API server, Object Storage or a database host, none known before apply. */
  publicEndpoint: '198.18.0.10',
  /** The environment's own API server as its pods reach it (the control plane's address, known after apply). */
  ownApiServer: '198.18.0.11',
  /** An address on the internet no rule names. */
  internet: '198.18.99.1',
  /** The managed database's members: public addresses Linode assigns at create time. */
  database: '198.18.1.20',
  /** LKE's control plane, reaching the nodes over its tunnel from 192.168.128.0/17. */
  controlPlane: '192.168.128.1',
  /** Managed PostgreSQL listens on the port Linode reports: 5432 is not promised, so two are checked. */
  postgresPorts: [5432, 18000] as const,
} as const;

export interface ControlPlaneClient {
  /** Endpoint name for `envc traffic` (`system/argocd`, `ci`). */
  name: string;
  what: string;
  /** Address ranges its connections come from (what an ACL must admit). */
  cidrs: string[];
  /** Where it runs, when in a cluster. */
  env?: string;
  namespace?: string;
  pod?: string;
  /** True when it also reaches its own cluster through the public endpoint. */
  viaPublicEndpoint?: boolean;
}

type Loose = Record<string, unknown> | undefined;

/** A list of CIDR strings at `obj[key]`, or under `obj[key].cidrs` / `.ipv4`. */
function cidrsAt(obj: Loose, ...keys: string[]): string[] {
  for (const k of keys) {
    const v = obj?.[k];
    if (Array.isArray(v)) return v.map(String);
    if (v && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      const found = ['cidrs', 'ipv4', 'ipv6', 'ranges'].flatMap((inner) =>
        Array.isArray(rec[inner]) ? (rec[inner] as unknown[]).map(String) : [],
      );
      if (found.length > 0) return found;
    }
  }
  return [];
}

/**
 * ArgoCD and the bot run in the system cluster and leave it from its nodes' egress range
 * (`network.nodeEgress`); CI runs elsewhere (top-level `ci`). The ranges come from the spec, the ACLs they
 * are checked against from the generated Terraform.
 */
export function controlPlaneClients(model: Model): ControlPlaneClient[] {
  const m = model as unknown as Record<string, unknown>;
  const system = model.environments.find((e) => e.tier === 'system');
  const sys = system as unknown as Record<string, unknown> | undefined;
  const net = sys?.network as Loose;
  const platformEgress = [
    ...cidrsAt(m, 'platformEgress', 'systemEgress'),
    ...cidrsAt(net, 'nodeEgress', 'egressCidrs', 'platformEgress'),
    ...cidrsAt(sys?.cluster as Loose, 'egressCidrs', 'egress'),
  ];
  // CI's ranges as the spec declares them (top-level `ci`, which normalize also records per ACL).
  const ci = [
    ...new Set([
      ...cidrsAt(m, 'ci', 'ciEgress', 'ciCidrs'),
      ...model.environments.flatMap((e) => cidrsAt(e.cluster.controlPlaneAcl as unknown as Loose, 'ci')),
    ]),
  ];
  const clients: ControlPlaneClient[] = [];
  if (system) {
    clients.push(
      {
        name: `${system.name}/argocd`,
        what: `ArgoCD (in ${system.name})`,
        cidrs: platformEgress,
        env: system.name,
        namespace: PLATFORM.argocd,
      },
      {
        name: `${system.name}/envc-bot`,
        what: `the envc bot (in ${system.name})`,
        cidrs: platformEgress,
        env: system.name,
        namespace: BOT_NAMESPACE,
        pod: 'envc-bot',
      },
    );
  }
  clients.push({ name: 'ci', what: 'CI (plan and apply)', cidrs: ci, viaPublicEndpoint: true });
  return clients;
}
