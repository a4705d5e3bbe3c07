/**
 * Facts about LKE and Linode the generated Terraform has to honour, in one place with the reason for each.
 */
import type { FirewallRuleModel } from '../../model.js';

/** LKE's control plane and nodes talk over this private range (Linode's LKE firewall guidance). */
export const LKE_PRIVATE_RANGE = '192.168.128.0/17';
/** NodeBalancers reach NodePorts from this range (health checks and proxied traffic). */
export const NODEBALANCER_RANGE = '192.168.255.0/24';

export type TfFirewallRule = Omit<FirewallRuleModel, 'origin' | 'ipv4' | 'ipv6' | 'ports' | 'description'> & {
  ports?: string;
  ipv4?: string[];
  ipv6?: string[];
  description?: string;
};

/**
 * LKE's default inbound ruleset, rule for rule as Linode's cloud-firewall-controller installs it on a new
 * cluster (internal/rules/defaults.go of linode/cloud-firewall-controller; "LKE network firewall" docs):
 * ICMP, kubelet and kube-proxy health checks (10250, 10256), WireGuard from the control plane, cluster DNS over
 * TCP and UDP, Calico BGP (179) and Typha (5473), NodeBalancers to NodePorts, and IP-in-IP between nodes — all
 * from LKE's private range except ICMP and the NodeBalancer range. Put after the spec's own rules.
 */
const lke = (
  label: string,
  protocol: TfFirewallRule['protocol'],
  ports: string | undefined,
  ipv4: string[],
  description: string,
  ipv6?: string[],
): TfFirewallRule => ({
  label,
  action: 'ACCEPT',
  protocol,
  ...(ports ? { ports } : {}),
  ipv4,
  ...(ipv6 ? { ipv6 } : {}),
  description: `LKE default: ${description}`,
});

export const LKE_INBOUND_RULES: readonly TfFirewallRule[] = [
  lke('allow-all-icmp', 'ICMP', undefined, ['0.0.0.0/0'], 'ICMP traffic', ['::/0']),
  lke('allow-kubelet-health-checks', 'TCP', '10250,10256', [LKE_PRIVATE_RANGE], 'kubelet and kube-proxy'),
  lke('allow-lke-wireguard', 'UDP', '51820', [LKE_PRIVATE_RANGE], 'WireGuard from the control plane'),
  lke('allow-cluster-dns-tcp', 'TCP', '53', [LKE_PRIVATE_RANGE], 'cluster DNS over TCP'),
  lke('allow-cluster-dns-udp', 'UDP', '53', [LKE_PRIVATE_RANGE], 'cluster DNS over UDP'),
  lke('allow-calico-bgp', 'TCP', '179', [LKE_PRIVATE_RANGE], 'Calico BGP'),
  lke('allow-calico-typha', 'TCP', '5473', [LKE_PRIVATE_RANGE], 'Calico Typha'),
  lke(
    'allow-cluster-nodeports-tcp',
    'TCP',
    '30000-32767',
    [NODEBALANCER_RANGE],
    'NodeBalancers to NodePorts',
  ),
  lke(
    'allow-cluster-nodeports-udp',
    'UDP',
    '30000-32767',
    [NODEBALANCER_RANGE],
    'NodeBalancers to NodePorts',
  ),
  lke('allow-cluster-ipencap', 'IPENCAP', undefined, [LKE_PRIVATE_RANGE], 'Calico IP-in-IP between nodes'),
];

/**
 * Outbound rules an LKE node needs when the outbound policy is DROP: node-to-node traffic on the private range
 * (pod network, kubelet, BGP). Firewalls are stateful, so replies to inbound connections need no rule.
 */
export const LKE_OUTBOUND_RULES: readonly TfFirewallRule[] = [
  {
    label: 'lke-private-tcp',
    action: 'ACCEPT',
    protocol: 'TCP',
    ports: '1-65535',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: node to node',
  },
  {
    label: 'lke-private-udp',
    action: 'ACCEPT',
    protocol: 'UDP',
    ports: '1-65535',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: node to node',
  },
  {
    label: 'lke-private-ipencap',
    action: 'ACCEPT',
    protocol: 'IPENCAP',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: Calico IP-in-IP between nodes',
  },
];

/** GPU plans (g1-gpu-…, g2-gpu-…): the module's validation uses the same pattern. */
export const GPU_PLAN = /^g[0-9]+-gpu-/;

/** Object Storage cluster id → region id (`us-ord-1` → `us-ord`); bucket and key arguments take regions. */
export function objectStorageRegion(cluster: string): string {
  return cluster.replace(/-[0-9]+$/, '');
}

/**
 * Managed database maintenance windows (day 1 = Monday … 7 = Sunday, hour in UTC): non-production on
 * Saturday, production and system on Sunday, so an engine update reaches staging a day before production.
 */
export function maintenanceWindow(tier: 'production' | 'non-production' | 'system') {
  return { frequency: 'weekly', day_of_week: tier === 'non-production' ? 6 : 7, hour_of_day: 3, duration: 3 };
}
