import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

export function inZone(host: string, zone: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const z = zone.toLowerCase().replace(/\.$/, '');
  return h === z || h.endsWith(`.${z}`);
}

/** envc creates ingress DNS records and certificates in the environment's own zone; a host outside it gets neither. */
export const ingressHostInZone: Rule = {
  code: 'ENVC2013',
  name: 'ingress-host-in-zone',
  title: "every ingress host lies in its environment's DNS zone",
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    for (const env of model.environments) {
      const zone = env.network.dns.zone;
      for (const svc of env.services) {
        if (!svc.ingress || inZone(svc.ingress.host, zone)) continue;
        const first = svc.ingress.host.split('.')[0] ?? svc.name;
        findings.push({
          origin: svc.ingress.origin,
          message: `ingress host ${q(svc.ingress.host)} of ${q(svc.name)} in ${q(env.name)} is outside the zone ${q(zone)}`,
          hint: `use a host under ${q(zone)}, e.g. set \`ingress.hosts.${env.name}: ${first}.${zone}\``,
        });
      }
    }
    return findings;
  },
};
