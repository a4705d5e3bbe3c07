import type { EnvironmentModel } from '../model.js';
import { carriesTcp, portsCover, q } from './shared.js';
import type { Finding, Rule } from './types.js';

export const INGRESS_PORTS = [443, 80] as const;

/** Whether the inbound firewall lets TCP `port` in from anywhere at all. */
export function inboundAllows(env: EnvironmentModel, port: number): boolean {
  const fw = env.network.firewall;
  const matching = fw.inbound.filter(
    (r) => carriesTcp(r) && portsCover(r.ports, port) && r.ipv4.length + r.ipv6.length > 0,
  );
  // Linode evaluates rules in order; the first match decides, then the default policy.
  const first = matching[0];
  if (first) return first.action === 'ACCEPT';
  return fw.inboundPolicy === 'ACCEPT';
}

/** An ingress behind a firewall that drops 443 (or the 80 → 443 redirect) is unreachable. */
export const ingressPortsAllowed: Rule = {
  code: 'ENVC2014',
  name: 'ingress-ports-allowed',
  title: 'every port an ingress exposes (443, and 80 for the redirect) is allowed by the inbound firewall',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const withIngress = env.services.filter((s) => s.ingress);
      const first = withIngress[0];
      if (!first?.ingress) continue;
      for (const port of INGRESS_PORTS) {
        if (inboundAllows(env, port)) continue;
        findings.push({
          origin: first.ingress.origin,
          message: `ingress ${q(first.ingress.host)} in ${q(env.name)} needs port ${port}, which the inbound firewall does not allow${withIngress.length > 1 ? ` (nor for ${withIngress.length - 1} other ingress host(s))` : ''}`,
          hint: `add \`{ label: ${port === 443 ? 'https' : 'http-redirect'}, protocol: TCP, ports: "${port}", ipv4: ["0.0.0.0/0"], ipv6: ["::/0"] }\` to \`environments.${env.name}.network.firewall.inbound\``,
        });
      }
    }
    return findings;
  },
};
