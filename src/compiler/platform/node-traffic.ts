/**
 * The node traffic LKE itself needs through the Cloud Firewall, after Linode's default LKE ruleset (the
 * cloud-firewall-controller's defaults and the "LKE network firewall" guide): from the cluster's private
 * range 192.168.128.0/17 kubelet, kube-proxy, Calico BGP, Typha and IP-in-IP, WireGuard from the control
 * plane, DNS over TCP and UDP; NodeBalancers (192.168.255.0/24) to the NodePorts; and out, DNS (both
 * protocols) and HTTPS for images and the Linode API. Pure.
 */
import type { EnvironmentModel } from '../model.js';
import { CODES } from './diagnostics.js';
import type { Flow } from './flows.js';

const PRIVATE_PEER = '192.168.128.10';
const NODEBALANCER = '192.168.255.10';

interface NodeRule {
  direction: 'inbound' | 'outbound';
  protocol: string;
  port?: number;
  peer: string;
  what: string;
}

export const LKE_NODE_TRAFFIC: readonly NodeRule[] = [
  {
    direction: 'inbound',
    protocol: 'TCP',
    port: 10250,
    peer: PRIVATE_PEER,
    what: 'kubelet (control plane, metrics-server)',
  },
  {
    direction: 'inbound',
    protocol: 'TCP',
    port: 10256,
    peer: PRIVATE_PEER,
    what: 'kube-proxy health checks',
  },
  { direction: 'inbound', protocol: 'TCP', port: 179, peer: PRIVATE_PEER, what: 'Calico BGP between nodes' },
  { direction: 'inbound', protocol: 'TCP', port: 5473, peer: PRIVATE_PEER, what: 'Calico Typha' },
  { direction: 'inbound', protocol: 'IPENCAP', peer: PRIVATE_PEER, what: 'Calico IP-in-IP between nodes' },
  {
    direction: 'inbound',
    protocol: 'UDP',
    port: 51820,
    peer: PRIVATE_PEER,
    what: 'WireGuard tunnel from the control plane',
  },
  { direction: 'inbound', protocol: 'UDP', port: 53, peer: PRIVATE_PEER, what: 'cluster DNS (UDP)' },
  { direction: 'inbound', protocol: 'TCP', port: 53, peer: PRIVATE_PEER, what: 'cluster DNS (TCP)' },
  {
    direction: 'inbound',
    protocol: 'TCP',
    port: 30080,
    peer: NODEBALANCER,
    what: 'NodeBalancer → NodePorts (TCP)',
  },
  {
    direction: 'inbound',
    protocol: 'UDP',
    port: 30080,
    peer: NODEBALANCER,
    what: 'NodeBalancer → NodePorts (UDP)',
  },
  { direction: 'outbound', protocol: 'UDP', port: 53, peer: '198.18.0.53', what: 'DNS resolution (UDP)' },
  {
    direction: 'outbound',
    protocol: 'TCP',
    port: 53,
    peer: '198.18.0.53',
    what: 'DNS resolution (TCP, large answers)',
  },
  {
    direction: 'outbound',
    protocol: 'TCP',
    port: 443,
    peer: '198.18.0.10',
    what: 'HTTPS (images, Linode API, control plane)',
  },
  { direction: 'outbound', protocol: 'TCP', port: 10250, peer: PRIVATE_PEER, what: 'node to node kubelet' },
  { direction: 'outbound', protocol: 'IPENCAP', peer: PRIVATE_PEER, what: 'Calico IP-in-IP between nodes' },
];

export function nodeTrafficFlows(env: EnvironmentModel): Flow[] {
  return LKE_NODE_TRAFFIC.map((r) => ({
    need: 'needed' as const,
    env: env.name,
    from: r.direction === 'inbound' ? r.peer : `${env.name}/nodes`,
    to: r.direction === 'inbound' ? `${env.name}/nodes` : r.peer,
    title: `LKE node traffic: ${r.what} (${r.direction} ${r.protocol}${r.port ? `/${r.port}` : ''})`,
    hops: [
      {
        layer: 'cloud-firewall' as const,
        env: env.name,
        direction: r.direction,
        peer: r.peer,
        protocol: r.protocol,
        ...(r.port !== undefined ? { port: r.port } : {}),
      },
    ],
    origin: env.network.firewall.origin,
    code: CODES.lkeNodeTraffic,
  }));
}
