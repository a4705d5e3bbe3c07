/**
 * The building blocks every NetworkPolicy envc writes is made of: peers that always select on
 * `envc.io/environment` (no path to another environment's namespaces), ipBlocks that never stand for the pod or
 * service network, and one constructor for the object. Pure data.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { cidrContains, parseCidr } from '../../../traffic/cidr.js';
import type { EnvironmentModel, Origin } from '../../model.js';
import { type Manifest, sortedRecord } from './objects.js';
import { CLUSTER_CIDRS, commonLabels, LABEL, type PlatformComponent, serviceSelector } from './platform.js';

export type Peer = INetworkPolicyPeer;
export type Port = INetworkPolicyPort;
export type IngressRule = INetworkPolicyIngressRule;
export type EgressRule = INetworkPolicyEgressRule;

export const tcp = (port: number | string): Port => ({ protocol: 'TCP', port });
export const udp = (port: number | string): Port => ({ protocol: 'UDP', port });

/** Every address, IPv4 and IPv6 (still minus the cluster's own networks, see `outside`). */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** The label cert-manager puts on the HTTP-01 solver pods it starts beside an Ingress. */
export const ACME_SOLVER_LABELS = { 'acme.cert-manager.io/http01-solver': 'true' } as const;
/** The port cert-manager's HTTP-01 solver pods listen on. */
export const ACME_SOLVER_PORT = 8089;

/** Namespaces of this environment with the given extra labels. */
export function namespacesOf(env: string, extra: Record<string, string> = {}): Peer['namespaceSelector'] {
  return { matchLabels: sortedRecord({ [LABEL.environment]: env, ...extra }) };
}

export function namespaceNamed(env: string, name: string): Peer['namespaceSelector'] {
  return namespacesOf(env, { [LABEL.metadataName]: name });
}

export function componentPeer(env: string, c: PlatformComponent): Peer {
  return {
    namespaceSelector: namespaceNamed(env, c.namespace),
    podSelector: { matchLabels: sortedRecord(c.labels) },
  };
}

export function servicePeer(env: string, namespace: string, service: string): Peer {
  return {
    namespaceSelector: namespaceNamed(env, namespace),
    podSelector: { matchLabels: serviceSelector(service) },
  };
}

/**
 * Addresses outside the cluster: the given blocks minus the pod and service networks they contain, so an
 * allowlist entry such as 0.0.0.0/0 never doubles as a path to pods (in-cluster traffic is selector-governed).
 */
export function outside(cidrs: readonly string[]): Peer[] {
  const cluster = CLUSTER_CIDRS.map((c) => parseCidr(c)!);
  return cidrs.map((cidr) => {
    const block = parseCidr(cidr);
    const except = block ? cluster.filter((c) => cidrContains(block, c)).map((c) => c.text) : [];
    return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
  });
}

export interface PolicyParts {
  name: string;
  namespace: string;
  podSelector: Record<string, string>;
  ingress?: IngressRule[];
  egress?: EgressRule[];
  annotations?: Record<string, string>;
  /** Policy types; defaults to the directions that have rules. */
  types?: Array<'Ingress' | 'Egress'>;
}

export function policy(env: EnvironmentModel, p: PolicyParts, origin: Origin): Manifest {
  const types = p.types ?? [
    ...(p.ingress ? (['Ingress'] as const) : []),
    ...(p.egress ? (['Egress'] as const) : []),
  ];
  const object: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: commonLabels(env.name),
      ...(p.annotations ? { annotations: sortedRecord(p.annotations) } : {}),
    },
    spec: {
      podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: sortedRecord(p.podSelector) } : {},
      policyTypes: types,
      ...(p.ingress ? { ingress: p.ingress } : {}),
      ...(p.egress ? { egress: p.egress } : {}),
    },
  };
  return { object: object as unknown as Manifest['object'], origin };
}
