/**
 * What the schema cannot see but Linode would refuse, or what would leave a platform silently broken:
 * reported at the spec line, before any plan. Pure.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EnvironmentModel, FirewallRuleModel, Origin } from '../../model.js';
import { createdPools } from './tfvars.js';

const at = (o: Origin) => ({ file: o.file, line: o.line, column: o.column, path: o.path });

/** Does a rule's `ports` ("53", "1-1024", "80,443") include the port? */
export function portsInclude(ports: string | undefined, port: number): boolean {
  if (ports === undefined) return true;
  return ports.split(',').some((p) => {
    const [lo, hi] = p.split('-').map(Number);
    return hi === undefined ? lo === port : lo! <= port && port <= hi;
  });
}

const allows = (r: FirewallRuleModel, protocol: string, port: number) =>
  r.action === 'ACCEPT' && r.protocol === protocol && portsInclude(r.ports, port);

export function checkEnvironment(env: EnvironmentModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of env.cluster.pools.filter((p) => p.count === 0)) {
    out.push({
      code: 'ENVC3204',
      severity: 'error',
      message: `pool "${p.name}" of environment "${env.name}" has count 0; LKE pools hold at least one node (count and autoscaler minimum are at least 1), so it cannot be created`,
      hint: 'give it count: 1 with an autoscaler { min: 1, max: N }, or remove the pool',
      ...at(p.origin),
    });
  }
  if (createdPools(env).length === 0) {
    out.push({
      code: 'ENVC3201',
      severity: 'error',
      message: `environment "${env.name}" has no node pool with nodes; an LKE cluster needs at least one`,
      hint: 'give one pool a count of at least 1',
      ...at(env.cluster.origin),
    });
  }
  const fw = env.network.firewall;
  if (fw.label.length > 32) {
    out.push({
      code: 'ENVC3202',
      severity: 'error',
      message: `the firewall label "${fw.label}" of environment "${env.name}" has ${fw.label.length} characters; Linode allows 32`,
      hint: 'the label is <platform>-<environment>-nodes: shorten the platform or the environment name',
      ...at(fw.origin),
    });
  }
  if (fw.outboundPolicy === 'DROP') {
    const udp = fw.outbound.find((r) => allows(r, 'UDP', 53));
    if (udp && !fw.outbound.some((r) => allows(r, 'TCP', 53))) {
      out.push({
        code: 'ENVC3203',
        severity: 'error',
        message: `the outbound firewall of environment "${env.name}" lets DNS out over UDP only ("${udp.label}"); resolvers answer large responses over TCP, which the DROP policy blocks`,
        hint: `add the same rule for TCP: { label: ${udp.label}-tcp, protocol: TCP, ports: "53", ipv4: [...] }`,
        ...at(udp.origin),
      });
    }
  }
  if (env.cluster.auditLogs && env.cluster.tier !== 'enterprise') {
    out.push({
      code: 'ENVC3205',
      severity: 'error',
      message: `environment "${env.name}" asks for control-plane audit logs on a standard-tier LKE cluster; audit logs are an LKE Enterprise feature`,
      hint: 'set cluster.tier: enterprise, or auditLogs: false',
      ...at(env.cluster.origin),
    });
  }
  const pg = env.dataServices.postgres;
  if (pg && pg.allowList.length === 0) {
    out.push({
      code: 'ENVC3206',
      severity: 'error',
      message: `the managed PostgreSQL of environment "${env.name}" would admit no address: an empty allow_list blocks every connection, the cluster's pods included`,
      hint: "give the environment's public node egress (network.nodeEgress), a VPC (network.vpc), or dataServices.postgres.allowList",
      ...at(pg.origin),
    });
  }
  return out;
}
