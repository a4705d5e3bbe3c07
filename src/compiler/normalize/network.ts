import type { EnvironmentModel } from '../model.js';
import type { Environment as SpecEnvironment } from '../spec.generated.js';
import type { NormalizeContext, Seg } from './context.js';

type FirewallRule = NonNullable<NonNullable<SpecEnvironment['network']['firewall']>['inbound']>[number];

/** `environments.<name>.network`: firewall defaults, egress allowlist, DNS records, VPC. */
export function networkModel(
  ctx: NormalizeContext,
  env: SpecEnvironment,
  at: Seg[],
  label: string,
): EnvironmentModel['network'] {
  const { origin } = ctx;
  const fw = env.network.firewall ?? {};
  const rule = (r: FirewallRule, segs: Seg[]) => ({
    label: r.label,
    action: r.action ?? 'ACCEPT',
    protocol: r.protocol,
    ...(r.ports ? { ports: r.ports } : {}),
    ipv4: r.ipv4 ?? [],
    ipv6: r.ipv6 ?? [],
    ...(r.description ? { description: r.description } : {}),
    origin: origin(segs, false),
  });
  return {
    firewall: {
      label: `${label}-nodes`,
      inboundPolicy: fw.inboundPolicy ?? 'DROP',
      outboundPolicy: fw.outboundPolicy ?? 'DROP',
      inbound: (fw.inbound ?? []).map((r, i) => rule(r, [...at, 'network', 'firewall', 'inbound', i])),
      outbound: (fw.outbound ?? []).map((r, i) => rule(r, [...at, 'network', 'firewall', 'outbound', i])),
      origin: origin(env.network.firewall ? [...at, 'network', 'firewall'] : [...at, 'network']),
    },
    egressAllowlist: (env.network.egressAllowlist ?? []).map((e, i) => ({
      name: e.name,
      cidrs: [...e.cidrs],
      ports: [...e.ports],
      protocol: e.protocol ?? 'TCP',
      origin: origin([...at, 'network', 'egressAllowlist', i], false),
    })),
    dns: {
      zone: env.network.dns.zone,
      soaEmail: env.network.dns.soaEmail,
      records: (env.network.dns.records ?? []).map((r, i) => ({
        name: r.name,
        type: r.type,
        target: r.target,
        ttl: r.ttl ?? 300,
        ...(r.tag ? { tag: r.tag } : {}),
        ...(r.priority !== undefined ? { priority: r.priority } : {}),
        origin: origin([...at, 'network', 'dns', 'records', i], false),
      })),
      origin: origin([...at, 'network', 'dns']),
    },
    ...(env.network.vpc
      ? { vpc: { subnet: env.network.vpc.subnet, origin: origin([...at, 'network', 'vpc']) } }
      : {}),
  };
}
