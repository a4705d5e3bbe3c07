/**
 * One hop of a flow through one network layer, and its verdict naming the rule that decides:
 * - control-plane ACL (LKE): with the ACL enabled, the source range must lie inside one of its entries;
 * - Cloud Firewall (Linode): rules in order, the first matching one decides, else the default policy;
 * - database allow_list (Linode Managed Databases): an empty list admits nobody;
 * - NetworkPolicy: the existing evaluator (src/traffic/evaluate.ts), plus Terraform-managed policies whose
 *   ports come from the database at apply time;
 * - DNS: a record for the host in the environment's zone, or external-dns managing the zone.
 * Pure.
 */
import { type Cidr, cidrContains, cidrContainsIp, parseCidr, parseIp } from '../../traffic/cidr.js';
import { type Endpoint, evaluate, type Protocol } from '../../traffic/evaluate.js';
import type { Pod, Universe } from '../../traffic/universe.js';
import type { Layer } from './diagnostics.js';
import type { EnvNetwork, FirewallRule, PlatformFacts } from './facts.js';

export type Hop =
  | { layer: 'control-plane-acl'; env: string; source: { what: string; cidrs: string[] } }
  | {
      layer: 'cloud-firewall';
      env: string;
      direction: 'inbound' | 'outbound';
      /** The address on the other side (a representative one when only a range is known). */
      peer: string;
      protocol: string;
      port?: number;
    }
  | { layer: 'database-allow-list'; env: string; source: { what: string; cidrs: string[] } }
  | {
      layer: 'network-policy';
      env: string;
      from: Endpoint;
      to: Endpoint;
      port: number;
      protocol: Protocol;
      /** Terraform-managed policies that admit this hop (the database's real port is only known at apply). */
      terraformPolicy?: { resourceType: string; namespace: string; refersTo: RegExp };
    }
  | { layer: 'dns'; env: string; host: string };

export interface HopVerdict {
  layer: Layer;
  allowed: boolean;
  /** Every rule that admits the hop (empty when denied); one entry means that rule alone carries it. */
  allowedBy: string[];
  /** The rule (or default) that decides. */
  decidedBy: string;
  detail: string;
}

function portMatches(ports: string | undefined, port: number | undefined): boolean {
  if (ports === undefined || ports === '') return true;
  if (port === undefined) return false;
  return ports.split(',').some((p) => {
    const [a, b] = p.trim().split('-').map(Number);
    return b === undefined ? port === a : port >= a! && port <= b;
  });
}

function ruleMatches(r: FirewallRule, peer: string, protocol: string, port?: number): boolean {
  if (r.protocol !== protocol) return false;
  if (protocol !== 'ICMP' && protocol !== 'IPENCAP' && !portMatches(r.ports, port)) return false;
  const ip = parseIp(peer);
  const range = ip ? undefined : parseCidr(peer);
  const list = [...r.ipv4, ...r.ipv6].map(parseCidr).filter((c): c is Cidr => c !== undefined);
  return list.some((c) => (ip ? cidrContainsIp(c, ip) : range ? cidrContains(c, range) : false));
}

function firewall(net: EnvNetwork, hop: Extract<Hop, { layer: 'cloud-firewall' }>): HopVerdict {
  const rules = hop.direction === 'inbound' ? net.firewall.inbound : net.firewall.outbound;
  const policy = hop.direction === 'inbound' ? net.firewall.inboundPolicy : net.firewall.outboundPolicy;
  const what = `${hop.direction} ${hop.protocol}${hop.port !== undefined ? `/${hop.port}` : ''} ${hop.direction === 'inbound' ? 'from' : 'to'} ${hop.peer}`;
  const matching = rules.filter((r) => ruleMatches(r, hop.peer, hop.protocol, hop.port));
  const first = matching[0];
  if (first) {
    const allowed = first.action === 'ACCEPT';
    return {
      layer: 'cloud-firewall',
      allowed,
      allowedBy: allowed
        ? matching.filter((r) => r.action === 'ACCEPT').map((r) => `${hop.env}:${hop.direction}:${r.label}`)
        : [],
      decidedBy: `${hop.env}:${hop.direction}:${first.label}`,
      detail: `Cloud Firewall of ${hop.env}: ${what} — rule "${first.label}" ${first.action}s it`,
    };
  }
  const allowed = policy === 'ACCEPT';
  return {
    layer: 'cloud-firewall',
    allowed,
    allowedBy: allowed ? [`${hop.env}:${hop.direction}_policy`] : [],
    decidedBy: `${hop.env}:${hop.direction}_policy ${policy}`,
    detail: `Cloud Firewall of ${hop.env}: ${what} — no rule matches; the ${hop.direction} policy is ${policy}`,
  };
}

function containedIn(sources: string[], entries: string[]): string[] | undefined {
  const list = entries.map((e) => ({ e, c: parseCidr(e) })).filter((x) => x.c !== undefined);
  const used: string[] = [];
  for (const s of sources) {
    const c = parseCidr(s);
    const hit = c && list.find((x) => cidrContains(x.c!, c));
    if (!hit) return undefined;
    used.push(hit.e);
  }
  return used;
}

function acl(net: EnvNetwork, hop: Extract<Hop, { layer: 'control-plane-acl' }>): HopVerdict {
  if (!net.acl.enabled)
    return {
      layer: 'control-plane-acl',
      allowed: true,
      allowedBy: [`${hop.env}:acl-disabled`],
      decidedBy: `${hop.env}:acl-disabled`,
      detail: `the control-plane ACL of ${hop.env} is disabled`,
    };
  if (hop.source.cidrs.length === 0)
    return {
      layer: 'control-plane-acl',
      allowed: false,
      allowedBy: [],
      decidedBy: `${hop.env}:acl`,
      detail: `the control-plane ACL of ${hop.env} admits only ${[...net.acl.ipv4, ...net.acl.ipv6].join(', ') || 'nothing'}, and no address range is declared for ${hop.source.what}`,
    };
  const used = containedIn(hop.source.cidrs, [...net.acl.ipv4, ...net.acl.ipv6]);
  return used
    ? {
        layer: 'control-plane-acl',
        allowed: true,
        allowedBy: [...new Set(used)].map((e) => `${hop.env}:acl:${e}`),
        decidedBy: `${hop.env}:acl:${used[0]}`,
        detail: `the control-plane ACL of ${hop.env} admits ${hop.source.what} (${hop.source.cidrs.join(', ')}) through ${[...new Set(used)].join(', ')}`,
      }
    : {
        layer: 'control-plane-acl',
        allowed: false,
        allowedBy: [],
        decidedBy: `${hop.env}:acl`,
        detail: `the control-plane ACL of ${hop.env} (${[...net.acl.ipv4, ...net.acl.ipv6].join(', ')}) does not admit ${hop.source.what} (${hop.source.cidrs.join(', ')})`,
      };
}

function allowList(net: EnvNetwork, hop: Extract<Hop, { layer: 'database-allow-list' }>): HopVerdict {
  const list = net.postgres?.allowList ?? [];
  if (list.length === 0)
    return {
      layer: 'database-allow-list',
      allowed: false,
      allowedBy: [],
      decidedBy: `${hop.env}:postgres.allow_list`,
      detail: `the PostgreSQL allow_list of ${hop.env} is empty, which admits no connection at all`,
    };
  const used = containedIn(hop.source.cidrs, list);
  return used
    ? {
        layer: 'database-allow-list',
        allowed: true,
        allowedBy: [...new Set(used)].map((e) => `${hop.env}:allow_list:${e}`),
        decidedBy: `${hop.env}:allow_list:${used[0]}`,
        detail: `the PostgreSQL allow_list of ${hop.env} admits ${hop.source.what} through ${[...new Set(used)].join(', ')}`,
      }
    : {
        layer: 'database-allow-list',
        allowed: false,
        allowedBy: [],
        decidedBy: `${hop.env}:postgres.allow_list`,
        detail: `the PostgreSQL allow_list of ${hop.env} (${list.join(', ')}) does not admit ${hop.source.what} (${hop.source.cidrs.join(', ') || 'no declared range'})`,
      };
}

const describePod = (p: Pod) => `${p.env}/${p.namespace}/${p.name}`;

/** The universe cut down to the policies of the environments a hop touches (evaluation cost stays per hop). */
const subUniverses = new WeakMap<Universe, Map<string, Universe>>();
function universeFor(u: Universe, hop: Extract<Hop, { layer: 'network-policy' }>): Universe {
  const envs = [hop.from, hop.to].map((e) => (e.kind === 'pod' ? e.pod.env : hop.env));
  const key = [...new Set(envs)].sort().join('|');
  let cache = subUniverses.get(u);
  if (!cache) {
    cache = new Map();
    subUniverses.set(u, cache);
  }
  let sub = cache.get(key);
  if (!sub) {
    const wanted = new Set(envs);
    sub = { ...u, policies: u.policies.filter((p) => wanted.has(p.env)) };
    cache.set(key, sub);
  }
  return sub;
}

function networkPolicy(facts: PlatformFacts, hop: Extract<Hop, { layer: 'network-policy' }>): HopVerdict {
  const v = evaluate(universeFor(facts.universe, hop), hop.from, hop.to, hop.port, hop.protocol);
  if (!v.allowed && hop.terraformPolicy && hop.from.kind === 'pod' && hop.to.kind === 'external') {
    const tp = hop.terraformPolicy;
    const from = hop.from.pod;
    for (const root of facts.roots.filter((r) => r.env === hop.env)) {
      const res = root.resources.find(
        (r) =>
          r.type === tp.resourceType &&
          tp.refersTo.test(r.block.body) &&
          // for_each keys are the consuming namespaces; an expression envc cannot evaluate counts as all.
          (r.instances === undefined || r.instances.includes(from.namespace)),
      );
      if (res) {
        const id = `${hop.env}:terraform:${res.address}[${from.namespace}]`;
        return {
          layer: 'network-policy',
          allowed: true,
          allowedBy: [id],
          decidedBy: id,
          detail: `egress of ${describePod(from)} allowed by ${res.address}["${from.namespace}"] (Terraform, at the database's real address and port)`,
        };
      }
    }
  }
  const allowedBy = v.allowed
    ? [v.egress.allowedBy, v.ingress.allowedBy].filter((x): x is string => x !== undefined)
    : [];
  return {
    layer: 'network-policy',
    allowed: v.allowed,
    allowedBy,
    decidedBy: v.decidedBy ?? (v.allowed ? 'not isolated' : 'denied'),
    detail: `NetworkPolicy: ${v.reason}`,
  };
}

/** Records that answer for a host: exact name, a wildcard one level up, or external-dns owning the zone. */
function dns(facts: PlatformFacts, net: EnvNetwork, hop: Extract<Hop, { layer: 'dns' }>): HopVerdict {
  const zone = net.dns.zone;
  const inZone = hop.host === zone || hop.host.endsWith(`.${zone}`);
  const rel = hop.host === zone ? '' : hop.host.slice(0, -(zone.length + 1));
  if (inZone) {
    const wildcard = rel.includes('.') ? `*.${rel.slice(rel.indexOf('.') + 1)}` : '*';
    const hits = net.dns.records.filter(
      (r) => ['A', 'AAAA', 'CNAME'].includes(r.type) && (r.name === rel || r.name === wildcard),
    );
    if (hits.length > 0)
      return {
        layer: 'dns',
        allowed: true,
        allowedBy: hits.map((r) => `${hop.env}:dns:${r.key}`),
        decidedBy: `${hop.env}:dns:${hits[0]!.key}`,
        detail: `${hop.host} resolves: record "${hits[0]!.key}" (${hits[0]!.type}) in ${zone}`,
      };
    for (const [key, values] of facts.values) {
      if (!key.startsWith(`${hop.env}/`) || !key.includes('external-dns')) continue;
      const filters = (values as { domainFilters?: string[] }).domainFilters ?? [];
      if (filters.some((f) => hop.host === f || hop.host.endsWith(`.${f}`)))
        return {
          layer: 'dns',
          allowed: true,
          allowedBy: [`${hop.env}:external-dns`],
          decidedBy: `${hop.env}:external-dns`,
          detail: `${hop.host} is published by external-dns (domainFilters ${filters.join(', ')})`,
        };
    }
  }
  return {
    layer: 'dns',
    allowed: false,
    allowedBy: [],
    decidedBy: `${hop.env}:dns:${zone}`,
    detail: inZone
      ? `no A, AAAA or CNAME record for "${rel || '@'}" in the zone ${zone}, and no external-dns manages it`
      : `${hop.host} is outside the zone ${zone} that envc manages`,
  };
}

export function evaluateHop(facts: PlatformFacts, hop: Hop): HopVerdict {
  const net = facts.network.get(hop.env);
  if (!net && hop.layer !== 'network-policy')
    return {
      layer: hop.layer,
      allowed: false,
      allowedBy: [],
      decidedBy: 'unknown environment',
      detail: `no environment ${hop.env}`,
    };
  switch (hop.layer) {
    case 'control-plane-acl':
      return acl(net!, hop);
    case 'cloud-firewall':
      return firewall(net!, hop);
    case 'database-allow-list':
      return allowList(net!, hop);
    case 'network-policy':
      return networkPolicy(facts, hop);
    case 'dns':
      return dns(facts, net!, hop);
  }
}
