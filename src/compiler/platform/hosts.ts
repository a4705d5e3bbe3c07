/** Every Ingress host of the platform with its namespace: service Ingresses and the charts' own. Pure. */
import type { Origin } from '../model.js';
import type { PlatformFacts } from './facts.js';

type Host = { env: string; namespace: string; host: string; origin: Origin };
/** Per roots and values (what the hosts are read from), so a copy with either changed reads afresh. */
const cache = new WeakMap<PlatformFacts['roots'], WeakMap<PlatformFacts['values'], Host[]>>();

/** Every Ingress host with its namespace: service Ingresses and the charts' own (Grafana, ArgoCD). */
export function ingressHosts(
  facts: PlatformFacts,
): Array<{ env: string; namespace: string; host: string; origin: Origin }> {
  let byValues = cache.get(facts.roots);
  if (!byValues) {
    byValues = new WeakMap();
    cache.set(facts.roots, byValues);
  }
  let hosts = byValues.get(facts.values);
  if (!hosts) {
    hosts = collectHosts(facts);
    byValues.set(facts.values, hosts);
  }
  return hosts;
}

function collectHosts(
  facts: PlatformFacts,
): Array<{ env: string; namespace: string; host: string; origin: Origin }> {
  const out: Array<{ env: string; namespace: string; host: string; origin: Origin }> = [];
  for (const env of facts.model.environments)
    for (const s of env.services)
      if (s.ingress)
        out.push({ env: env.name, namespace: s.namespace, host: s.ingress.host, origin: s.ingress.origin });
  for (const root of facts.roots)
    for (const r of root.resources) {
      if (r.type !== 'helm_release' || (r.instances && r.instances.length === 0)) continue;
      const name = String(r.value(r.block.attrs.name) ?? r.name);
      const ns = String(r.value(r.block.attrs.namespace) ?? 'default');
      const values = facts.values.get(`${root.env}/${name}`);
      const env = facts.model.environments.find((e) => e.name === root.env);
      if (!env) continue;
      for (const host of chartHosts(values))
        out.push({ env: env.name, namespace: ns, host, origin: env.network.dns.origin });
    }
  return out;
}

function chartHosts(values: unknown): string[] {
  const hosts: string[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const rec = v as Record<string, unknown>;
    const ing = rec.ingress as Record<string, unknown> | undefined;
    if (ing && typeof ing === 'object' && ing.enabled === true) {
      if (typeof ing.hostname === 'string') hosts.push(ing.hostname);
      if (Array.isArray(ing.hosts)) for (const h of ing.hosts) if (typeof h === 'string') hosts.push(h);
    }
    for (const [k, c] of Object.entries(rec)) if (k !== 'ingress') walk(c);
  };
  walk(values);
  return hosts;
}
