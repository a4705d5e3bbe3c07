/**
 * Every Ingress host of an environment and the name it gets in the environment's DNS zone: each service's
 * ingress host, Grafana's and, where ArgoCD runs, ArgoCD's. A host outside the zone has no name envc can
 * create: ENVC3207 at the service's ingress line.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EnvironmentModel, Origin } from '../../model.js';
import { argocdHostname, grafanaHostname } from '../kubernetes/platform.js';

export interface IngressHost {
  /** for_each key: the zone name, `apex` for the zone itself. */
  key: string;
  /** Fully qualified host. */
  host: string;
  /** Record name relative to the zone ("" for the apex). */
  name: string;
  /** Who serves it. */
  owner: string;
  origin: Origin;
}

function inZone(host: string, zone: string): string | undefined {
  if (host === zone) return '';
  return host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : undefined;
}

function candidates(env: EnvironmentModel): Array<Omit<IngressHost, 'key' | 'name'>> {
  const out: Array<Omit<IngressHost, 'key' | 'name'>> = [];
  for (const s of env.services)
    if (s.ingress) out.push({ host: s.ingress.host, owner: `service "${s.name}"`, origin: s.ingress.origin });
  out.push({ host: grafanaHostname(env), owner: 'Grafana', origin: env.network.dns.origin });
  if (env.hosts.includes('argocd'))
    out.push({ host: argocdHostname(env), owner: 'ArgoCD', origin: env.network.dns.origin });
  return out;
}

/** The hosts that get A/AAAA records, sorted and deduplicated by name. */
export function ingressHostKeys(env: EnvironmentModel): IngressHost[] {
  const zone = env.network.dns.zone;
  const byName = new Map<string, IngressHost>();
  for (const c of candidates(env)) {
    const name = inZone(c.host, zone);
    if (name === undefined || byName.has(name)) continue;
    byName.set(name, { ...c, name, key: name === '' ? 'apex' : name });
  }
  return [...byName.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function checkIngressHosts(env: EnvironmentModel): Diagnostic[] {
  const zone = env.network.dns.zone;
  return candidates(env)
    .filter((c) => inZone(c.host, zone) === undefined)
    .map((c) => ({
      code: 'ENVC3207',
      severity: 'error' as const,
      message: `the Ingress host "${c.host}" of ${c.owner} in environment "${env.name}" is outside the environment's DNS zone "${zone}", so no DNS record can point it at the ingress NodeBalancer`,
      hint: `use a host under ${zone} (e.g. ${c.host.split('.')[0]}.${zone})`,
      file: c.origin.file,
      line: c.origin.line,
      column: c.origin.column,
      path: c.origin.path,
    }));
}
