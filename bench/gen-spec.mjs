// Builds a large spec for the scaling benchmark: N application environments (copies of the default
// development environment with their own DNS zone) plus system, and S services running in all of them.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export function largeSpec(defaultSpecPath, { environments = 100, services = 30 } = {}) {
  const spec = parse(readFileSync(defaultSpecPath, 'utf8'));
  const template = spec.environments.development;
  const envs = { system: spec.environments.system };
  const names = [];
  for (let i = 1; i <= environments; i++) {
    const name = `env-${String(i).padStart(3, '0')}`;
    names.push(name);
    const env = structuredClone(template);
    env.network.dns.zone = `${name}.acme.example`;
    env.quotas.services = services;
    envs[name] = env;
  }
  spec.environments = envs;
  const base = spec.services[0];
  spec.services = [];
  for (let s = 1; s <= services; s++) {
    const svc = structuredClone(base);
    svc.name = `service-${String(s).padStart(2, '0')}`;
    svc.owner = `team-${String(((s - 1) % 10) + 1).padStart(2, '0')}`;
    svc.environments = names;
    svc.replicas = { default: 1 };
    svc.autoscaling = {};
    svc.ingress = { host: `${svc.name}.{env}.acme.example` };
    svc.dataServices = ['postgres', 'redis'];
    svc.secrets = ['session-key'];
    spec.services.push(svc);
  }
  spec.accessPolicies = spec.accessPolicies.map((p) => ({
    ...p,
    environments: p.scope === 'cluster' ? ['system'] : names,
  }));
  spec.secrets = [
    {
      ...spec.secrets.find((s) => s.name === 'session-key'),
      environments: names,
      usedBy: spec.services.map((s) => s.name),
    },
  ];
  return stringify(spec);
}
