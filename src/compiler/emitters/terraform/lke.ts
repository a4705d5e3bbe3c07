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
 * Inbound rules without which an LKE cluster behind a DROP policy stops working: kubelet and Calico BGP from
 * the control plane and other nodes, WireGuard (kubectl logs/exec/port-forward go through it), IP-in-IP
 * between nodes, and NodeBalancer traffic to NodePorts (every LoadBalancer Service, the ingress controller's
 * included). Added to every firewall after the spec's own rules.
 */
export const LKE_INBOUND_RULES: readonly TfFirewallRule[] = [
  {
    label: 'lke-kubelet-bgp',
    action: 'ACCEPT',
    protocol: 'TCP',
    ports: '179,10250',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: kubelet and Calico BGP',
  },
  {
    label: 'lke-wireguard',
    action: 'ACCEPT',
    protocol: 'UDP',
    ports: '51820',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: WireGuard tunnel from the control plane',
  },
  {
    label: 'lke-ipencap',
    action: 'ACCEPT',
    protocol: 'IPENCAP',
    ipv4: [LKE_PRIVATE_RANGE],
    description: 'LKE: Calico IP-in-IP between nodes',
  },
  {
    label: 'lke-nodeports-tcp',
    action: 'ACCEPT',
    protocol: 'TCP',
    ports: '30000-32767',
    ipv4: [NODEBALANCER_RANGE],
    description: 'LKE: NodeBalancers to NodePorts',
  },
  {
    label: 'lke-nodeports-udp',
    action: 'ACCEPT',
    protocol: 'UDP',
    ports: '30000-32767',
    ipv4: [NODEBALANCER_RANGE],
    description: 'LKE: NodeBalancers to NodePorts',
  },
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
