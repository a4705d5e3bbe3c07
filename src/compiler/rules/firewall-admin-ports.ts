import { carriesTcp, opensToWorld, portsCover, q } from './shared.js';
import type { Finding, Rule } from './types.js';

const ADMIN_PORTS: ReadonlyArray<[number, string]> = [
  [22, 'SSH'],
  [6443, 'the Kubernetes API'],
];

/** SSH and the Kubernetes API open to the whole internet are the first thing scanners find. */
export const firewallAdminPorts: Rule = {
  code: 'ENVC2004',
  name: 'firewall-admin-ports',
  title: 'no inbound firewall rule opens SSH (22) or the Kubernetes API (6443) to 0.0.0.0/0 or ::/0',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      for (const rule of env.network.firewall.inbound) {
        if (rule.action !== 'ACCEPT' || !carriesTcp(rule)) continue;
        const world = opensToWorld(rule);
        if (!world) continue;
        for (const [port, what] of ADMIN_PORTS) {
          if (!portsCover(rule.ports, port)) continue;
          findings.push({
            origin: rule.origin,
            message: `firewall rule ${q(rule.label)} in ${q(env.name)} opens ${what} (port ${port}) to ${q(world)}`,
            hint:
              rule.ports === undefined
                ? 'this rule has no `ports`, so it accepts every TCP port; name the ports and limit admin access to office/VPN ranges'
                : `allow port ${port} only from office/VPN ranges (e.g. ipv4: ["203.0.113.0/24"])`,
          });
        }
      }
      // A default ACCEPT policy opens every port no rule drops; only a DROP for the whole world closes it.
      const fw = env.network.firewall;
      if (fw.inboundPolicy !== 'ACCEPT') continue;
      for (const [port, what] of ADMIN_PORTS) {
        const dropped = fw.inbound.some(
          (r) => r.action === 'DROP' && carriesTcp(r) && portsCover(r.ports, port) && opensToWorld(r),
        );
        if (dropped) continue;
        findings.push({
          origin: { ...env.origin, path: `environments.${env.name}.network.firewall.inboundPolicy` },
          message: `inbound firewall of ${q(env.name)} accepts by default, which opens ${what} (port ${port}) to the world`,
          hint: 'set `network.firewall.inboundPolicy: DROP` and allow only the ports the environment serves',
        });
      }
    }
    return findings;
  },
};
