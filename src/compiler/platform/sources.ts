/**
 * Who talks to the clusters' API servers from outside them, and the representative addresses the flow model
 * uses where the real one is only known after apply (a database's host, Object Storage, an API endpoint).
 */
import { BOT_NAMESPACE, PLATFORM } from '../emitters/kubernetes/platform.js';
import type { Model } from '../model.js';

export const PROBE = {
  /** Some public address: an API server, Object Storage or a database host, none known before apply. */
  publicEndpoint: '198.18.0.10',
  /** An address on the internet no rule names. */
  internet: '198.18.99.1',
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
      for (const inner of ['cidrs', 'ipv4', 'ranges'])
        if (Array.isArray(rec[inner])) return (rec[inner] as unknown[]).map(String);
    }
  }
  return [];
}

/**
 * ArgoCD and the bot run in the system cluster and leave it from its egress range; CI runs elsewhere. The
 * ranges come from the spec (the fields the ACLs are built from).
 */
export function controlPlaneClients(model: Model): ControlPlaneClient[] {
  const m = model as unknown as Record<string, unknown>;
  const system = model.environments.find((e) => e.tier === 'system');
  const sys = system as unknown as Record<string, unknown> | undefined;
  const net = sys?.network as Loose;
  const platformEgress = [
    ...cidrsAt(m, 'platformEgress', 'systemEgress'),
    ...cidrsAt(net, 'egressCidrs', 'egress', 'platformEgress'),
    ...cidrsAt(sys?.cluster as Loose, 'egressCidrs', 'egress'),
  ];
  const ci = cidrsAt(m, 'ci', 'ciEgress', 'ciCidrs');
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
