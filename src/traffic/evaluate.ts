/**
 * NetworkPolicy evaluation with the standard semantics (networking.k8s.io/v1):
 * - a pod is isolated for a direction when some policy in its namespace selects it (podSelector) and lists
 *   that direction in policyTypes; an isolated pod allows only what some selecting policy's rules allow,
 *   a pod no policy selects allows everything;
 * - a connection needs the source's egress and the destination's ingress to allow it;
 * - peers: podSelector alone means pods of the policy's own namespace; namespaceSelector (with an optional
 *   podSelector) means pods in matching namespaces; ipBlock means addresses in `cidr` outside every `except`;
 *   an empty or missing peer list means every peer;
 * - ports: protocol defaults to TCP; a missing port means every port; `endPort` makes a range; a named port
 *   is the destination pod's container port of that name.
 * Pure: the answer names the policy that decides.
 */
import { POD_CIDR } from '../compiler/emitters/kubernetes/platform.js';
import { type Cidr, cidrContainsIp, parseCidr, someAddressAllowed } from './cidr.js';
import { matchesSelector } from './selectors.js';
import {
  type NetworkPolicy,
  nsKey,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type Universe,
} from './universe.js';

export type Endpoint =
  | { kind: 'pod'; pod: Pod }
  | { kind: 'external'; ip: { family: 4 | 6; value: bigint }; text: string };

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface DirectionResult {
  direction: 'egress' | 'ingress';
  /** False when this side is outside the cluster (no policy applies to it). */
  applies: boolean;
  isolated: boolean;
  allowed: boolean;
  /** `env/namespace/policy` that allowed the connection. */
  allowedBy?: string;
  /** The isolating policies, when none of them allowed it. */
  deniedBy?: string[];
}

export interface Verdict {
  allowed: boolean;
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  egress: DirectionResult;
  ingress: DirectionResult;
  /** The policy that decides: the one that denied (a default deny first), or the destination's allowing policy. */
  decidedBy?: string;
  reason: string;
}

/** LKE's pod network, for a universe built without the spec's `cluster.podCidr`. */
const POD_RANGE: Cidr = parseCidr(POD_CIDR)!;

export function describe(e: Endpoint): string {
  if (e.kind === 'external') return e.text;
  const p = e.pod;
  return p.kind === 'any' ? `${p.env}/${p.namespace}/*` : `${p.env}/${p.namespace}/${p.name}`;
}

const policyId = (p: NetworkPolicy) => `${p.env}/${p.namespace}/${p.name}`;

function peerMatches(u: Universe, policy: NetworkPolicy, peer: PolicyPeer, other: Endpoint): boolean {
  if (peer.ipBlock) {
    const block = parseCidr(peer.ipBlock.cidr);
    if (!block) return false;
    const except = (peer.ipBlock.except ?? []).map(parseCidr).filter((c): c is Cidr => c !== undefined);
    if (other.kind === 'external')
      return cidrContainsIp(block, other.ip) && !except.some((x) => cidrContainsIp(x, other.ip));
    // Pod addresses are not known in advance: a block that could contain a pod address counts as a match
    // (the cautious reading — a deny then really holds for every address the pod may get).
    const range = parseCidr(u.podCidrs?.get(other.pod.env) ?? '') ?? POD_RANGE;
    return someAddressAllowed(range, block, except);
  }
  if (other.kind !== 'pod') return false;
  const pod = other.pod;
  if (peer.namespaceSelector) {
    const ns = u.namespaces.get(nsKey(pod.env, pod.namespace));
    if (!ns || !matchesSelector(peer.namespaceSelector, ns.labels)) return false;
    return peer.podSelector ? matchesSelector(peer.podSelector, pod.labels) : true;
  }
  if (peer.podSelector) {
    // podSelector alone: pods in the policy's own namespace (and so its own environment).
    return (
      pod.env === policy.env &&
      pod.namespace === policy.namespace &&
      matchesSelector(peer.podSelector, pod.labels)
    );
  }
  return false;
}

function portMatches(
  ports: PolicyPort[] | undefined,
  port: number,
  protocol: Protocol,
  destination: Endpoint,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number')
      return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    if (destination.kind !== 'pod') return false;
    return destination.pod.ports.some(
      (cp) => cp.name === p.port && cp.protocol === protocol && cp.port === port,
    );
  });
}

/** Policies of the pod's namespace that select it for a direction. */
function isolating(u: Universe, pod: Pod, type: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return u.policies.filter(
    (p) =>
      p.env === pod.env &&
      p.namespace === pod.namespace &&
      p.policyTypes.includes(type) &&
      matchesSelector(p.podSelector, pod.labels),
  );
}

function side(
  u: Universe,
  direction: 'egress' | 'ingress',
  self: Endpoint,
  other: Endpoint,
  port: number,
  protocol: Protocol,
): DirectionResult {
  if (self.kind !== 'pod') return { direction, applies: false, isolated: false, allowed: true };
  const type = direction === 'egress' ? 'Egress' : 'Ingress';
  const policies = isolating(u, self.pod, type);
  if (policies.length === 0) return { direction, applies: true, isolated: false, allowed: true };
  const destination = direction === 'egress' ? other : self;
  for (const p of policies) {
    const rules =
      direction === 'egress'
        ? p.egress.map((r) => ({ peers: r.to, ports: r.ports }))
        : p.ingress.map((r) => ({ peers: r.from, ports: r.ports }));
    for (const r of rules) {
      const peerOk =
        !r.peers || r.peers.length === 0 || r.peers.some((peer) => peerMatches(u, p, peer, other));
      if (peerOk && portMatches(r.ports, port, protocol, destination)) {
        return { direction, applies: true, isolated: true, allowed: true, allowedBy: policyId(p) };
      }
    }
  }
  // Name a default-deny first: that is the policy a reader looks for.
  const names = policies
    .map(policyId)
    .sort(
      (a, b) => Number(!/\/default-deny/.test(a)) - Number(!/\/default-deny/.test(b)) || a.localeCompare(b),
    );
  return { direction, applies: true, isolated: true, allowed: false, deniedBy: names };
}

export function evaluate(
  u: Universe,
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol = 'TCP',
): Verdict {
  const egress = side(u, 'egress', from, to, port, protocol);
  const ingress = side(u, 'ingress', to, from, port, protocol);
  const allowed = egress.allowed && ingress.allowed;
  const f = describe(from);
  const t = describe(to);
  let decidedBy: string | undefined;
  let reason: string;
  const short = (ids: string[]) => ids.map((id) => id.split('/').pop()).join(', ');
  if (!egress.allowed) {
    decidedBy = egress.deniedBy![0];
    reason = `no egress rule of the policies selecting ${f} (${short(egress.deniedBy!)}) allows ${protocol}/${port} to ${t}`;
    if (!ingress.allowed) reason += `; ingress to ${t} is denied too (${ingress.deniedBy![0]})`;
  } else if (!ingress.allowed) {
    decidedBy = ingress.deniedBy![0];
    reason = `no ingress rule of the policies selecting ${t} (${short(ingress.deniedBy!)}) allows ${protocol}/${port} from ${f}`;
  } else {
    decidedBy = ingress.allowedBy ?? egress.allowedBy;
    const parts = [
      egress.applies
        ? egress.isolated
          ? `egress allowed by ${egress.allowedBy}`
          : `egress not isolated`
        : undefined,
      ingress.applies
        ? ingress.isolated
          ? `ingress allowed by ${ingress.allowedBy}`
          : `ingress not isolated`
        : undefined,
    ].filter(Boolean);
    reason = parts.join('; ');
  }
  return {
    allowed,
    from: f,
    to: t,
    port,
    protocol,
    egress,
    ingress,
    ...(decidedBy ? { decidedBy } : {}),
    reason,
  };
}
