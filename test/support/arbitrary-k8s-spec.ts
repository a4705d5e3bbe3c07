/**
 * fast-check generator of random valid specs that exercise the cluster side: the shared arbitrarySpec()
 * (environments, pools, firewalls, egress allowlists, zones, gitops paths) plus what the Kubernetes emitter
 * reads most — extra services with other owners (so more app namespaces), ports, metrics, ingress hosts in
 * each environment's zone, autoscaling, Redis use and `allowFrom` between services; and access policies with
 * standing groups, cluster scope or explicit namespaces, and a namespace-wide secret. Every generated spec
 * must compile without errors.
 */
import fc from 'fast-check';
import { arbitrarySpec } from './arbitrary-spec.js';

type Json = Record<string, unknown>;
type Env = {
  tier: string;
  network: { dns: { zone: string } };
  dataServices?: { redis?: unknown; postgres?: unknown };
};
type Spec = Json & {
  environments: Record<string, Env>;
  services: Json[];
  accessPolicies: Json[];
  secrets: Json[];
  identity?: Json;
};

const SERVICE_NAMES = ['api', 'worker', 'web-ui', 'billing', 'search'] as const;

interface ServiceDraft {
  name: string;
  owner: string;
  port: number;
  metricsPort?: number;
  ingress: boolean;
  replicas: number;
  envPick: number[];
  autoscale: boolean;
  redis: boolean;
  allowFrom: number[];
}

const serviceDraft = (name: string): fc.Arbitrary<ServiceDraft> =>
  fc.record({
    name: fc.constant(name),
    owner: fc.constantFrom('team-a', 'team-b', 'team-c'),
    port: fc.integer({ min: 1024, max: 9000 }),
    metricsPort: fc.option(fc.integer({ min: 9001, max: 9999 }), { nil: undefined }),
    ingress: fc.boolean(),
    replicas: fc.integer({ min: 1, max: 2 }),
    envPick: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }),
    autoscale: fc.boolean(),
    redis: fc.boolean(),
    allowFrom: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
  });

const accessVariation = fc.record({
  groups: fc.uniqueArray(fc.constantFrom('sre', 'devs', 'auditors'), { maxLength: 2 }),
  prefix: fc.constantFrom('', 'oidc:'),
  viewScope: fc.constantFrom('namespace', 'cluster'),
  viewOnlyTeamA: fc.boolean(),
  namespaceWideSecret: fc.boolean(),
});

export function arbitraryK8sSpec(): fc.Arbitrary<Json> {
  return fc
    .tuple(
      arbitrarySpec({ maxExtraEnvironments: 1 }),
      fc
        .subarray([...SERVICE_NAMES], { maxLength: 4 })
        .chain((names) => fc.tuple(...names.map(serviceDraft))),
      accessVariation,
    )
    .map(([base, drafts, access]) => {
      const spec = structuredClone(base) as Spec;
      const appEnvs = Object.entries(spec.environments)
        .filter(([, e]) => e.tier !== 'system')
        .map(([n]) => n)
        .sort();
      const svcs = drafts as ServiceDraft[];
      svcs.forEach((d) => {
        const envs = [...new Set(d.envPick.map((i) => appEnvs[i % appEnvs.length]!))].sort();
        const redis = d.redis && envs.every((e) => spec.environments[e]!.dataServices?.redis);
        const svc: Json = {
          name: d.name,
          owner: d.owner,
          image: `ghcr.io/acme/${d.name}:1.0.${d.port % 10}`,
          port: d.port,
          health: '/ready',
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
          replicas: { default: d.replicas },
          environments: envs,
          ...(d.metricsPort ? { metrics: { port: d.metricsPort } } : {}),
          ...(redis ? { dataServices: ['redis'] } : {}),
        };
        if (d.ingress) {
          // A host in each environment's own zone (the ingress-host-in-zone rule).
          svc.ingress = {
            host: `${d.name}.{env}.acme.example`,
            hosts: Object.fromEntries(
              envs.map((e) => [e, `${d.name}.${spec.environments[e]!.network.dns.zone}`]),
            ),
          };
        }
        if (d.autoscale) svc.autoscaling = { [envs[0]!]: { min: 1, max: 4, targetCPUUtilization: 60 } };
        spec.services.push(svc);
      });
      // allowFrom between the generated services (and the sample service), by index.
      const all = spec.services as Array<Json & { name: string; owner: string; allowFrom?: string[] }>;
      svcs.forEach((d, i) => {
        const self = all[i + 1]!;
        const refs = d.allowFrom
          .map((j) => all[j % all.length]!)
          .filter((o) => o !== self)
          .map((o) => `${o.owner}/${o.name}`);
        if (refs.length > 0) self.allowFrom = [...new Set(refs)];
      });
      // Access policies: standing groups, a cluster-wide view or a view of team-a only.
      spec.identity = { ...(spec.identity ?? {}), groupPrefix: access.prefix };
      const view = spec.accessPolicies.find((p) => p.name === 'view');
      if (view) {
        view.groups = access.groups;
        if (access.viewScope === 'cluster') view.scope = 'cluster';
        else if (access.viewOnlyTeamA) view.namespaces = ['team-a'];
      }
      if (access.namespaceWideSecret) {
        const s = spec.secrets.find((x) => x.name === 'session-key');
        if (s) s.scope = 'namespace-wide';
      }
      return spec as Json;
    });
}
