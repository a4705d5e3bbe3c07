import { suggest } from '../diagnostics/suggest.js';
import type { ServiceInstance } from '../model.js';
import type { Environment as SpecEnvironment, Service as SpecService } from '../spec.generated.js';
import type { NormalizeContext, Seg } from './context.js';
import { checkEnvKeys, pair, resolveEnvList } from './context.js';
import { RESERVED_NAMESPACES } from './environment.js';
import { hostProblem } from './syntax.js';

/** Default container resources for a service that declares none. */
const DEFAULT_SERVICE_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

/**
 * Checks each service's references (environments, per-environment keys, secrets, ingress placeholders) and
 * returns the environments each service is deployed to, by service name.
 */
export function resolveServices(
  ctx: NormalizeContext,
  services: SpecService[],
  secretNames: string[],
): Map<string, string[]> {
  const serviceEnvs = new Map<string, string[]>();
  services.forEach((svc, i) => {
    const at: Seg[] = ['services', i];
    serviceEnvs.set(
      svc.name,
      resolveEnvList(ctx, svc.environments, [...at, 'environments'], 'ENVC1203', `service "${svc.name}"`),
    );
    checkEnvKeys(
      ctx,
      svc.replicas,
      [...at, 'replicas'],
      'ENVC1202',
      `service "${svc.name}" sets replicas`,
      true,
    );
    checkEnvKeys(
      ctx,
      svc.autoscaling,
      [...at, 'autoscaling'],
      'ENVC1207',
      `service "${svc.name}" sets autoscaling`,
      false,
    );
    checkEnvKeys(
      ctx,
      svc.ingress?.hosts,
      [...at, 'ingress', 'hosts'],
      'ENVC1208',
      `service "${svc.name}" sets an ingress host`,
      false,
    );
    (svc.secrets ?? []).forEach((name, j) => {
      if (!secretNames.includes(name)) {
        const s = suggest(name, secretNames);
        ctx.refError(
          'ENVC1204',
          [...at, 'secrets', j],
          `service "${svc.name}" uses unknown secret ${JSON.stringify(name)}`,
          `declare it under \`secrets:\`${s ? ` — did you mean "${s}"?` : ''}`,
        );
      }
    });
    if (RESERVED_NAMESPACES.has(svc.owner))
      ctx.refError(
        'ENVC1309',
        [...at, 'owner'],
        `service "${svc.name}" would be deployed into namespace ${JSON.stringify(svc.owner)}, which is reserved`,
        `a service's namespace is its owner; reserved: ${[...RESERVED_NAMESPACES].sort().join(', ')}`,
      );
    for (const [envName, hpa] of Object.entries(svc.autoscaling ?? {}))
      if (hpa.min > hpa.max)
        ctx.refError(
          'ENVC1310',
          [...at, 'autoscaling', envName, 'min'],
          `service "${svc.name}" autoscales in "${envName}" with min ${hpa.min} above max ${hpa.max}`,
          'swap the bounds or raise `max`',
        );
    const placeholder = /\{([^}]*)\}/g;
    for (const m of (svc.ingress?.host ?? '').matchAll(placeholder)) {
      if (m[1] !== 'env')
        ctx.refError(
          'ENVC1214',
          [...at, 'ingress', 'host'],
          `unknown placeholder {${m[1]}} in ingress host`,
          'the only placeholder is {env}',
        );
    }
  });
  return serviceEnvs;
}

/** One service as deployed to one environment: overrides resolved, `{env}` expanded. */
export function serviceInstance(
  ctx: NormalizeContext,
  svc: SpecService,
  i: number,
  envName: string,
  env: SpecEnvironment,
): ServiceInstance {
  const { origin } = ctx;
  const at: Seg[] = ['services', i];
  const res = svc.resources ?? DEFAULT_SERVICE_RESOURCES;
  const replicas = svc.replicas?.[envName] ?? svc.replicas?.default ?? 1;
  const hpa = svc.autoscaling?.[envName];
  const host = svc.ingress
    ? (svc.ingress.hosts?.[envName] ?? svc.ingress.host.replaceAll('{env}', envName))
    : undefined;
  // An unknown placeholder left in the host is ENVC1214's finding already.
  if (host !== undefined && !/[{}]/.test(host)) {
    const p = hostProblem(host, true);
    if (p)
      ctx.refError(
        'ENVC1303',
        svc.ingress?.hosts?.[envName] ? [...at, 'ingress', 'hosts', envName] : [...at, 'ingress', 'host'],
        `ingress host ${JSON.stringify(host)} of service "${svc.name}" in "${envName}" ${p}`,
        'an ingress host is a DNS name, e.g. web.staging.acme.example (`{env}` is replaced first)',
      );
  }
  for (const ds of svc.dataServices ?? []) {
    if (!env.dataServices?.[ds]) {
      ctx.refError(
        'ENVC1211',
        [...at, 'dataServices', (svc.dataServices ?? []).indexOf(ds)],
        `service "${svc.name}" uses ${ds}, but environment "${envName}" declares no ${ds}`,
        `add \`dataServices.${ds}\` to environments.${envName}, or drop ${ds} from the service`,
      );
    }
  }
  return {
    name: svc.name,
    owner: svc.owner,
    namespace: svc.owner,
    ...(svc.description ? { description: svc.description } : {}),
    image: svc.image,
    port: svc.port,
    health: svc.health ?? '/healthz',
    ...(svc.metrics ? { metrics: { port: svc.metrics.port, path: svc.metrics.path ?? '/metrics' } } : {}),
    resources: { requests: pair(res.requests), limits: pair(res.limits) },
    replicas,
    ...(hpa
      ? { autoscaling: { min: hpa.min, max: hpa.max, targetCPUUtilization: hpa.targetCPUUtilization ?? 70 } }
      : {}),
    ...(svc.ingress && host
      ? {
          ingress: {
            host,
            path: svc.ingress.path ?? '/',
            origin: origin(
              svc.ingress.hosts?.[envName]
                ? [...at, 'ingress', 'hosts', envName]
                : [...at, 'ingress', 'host'],
              false,
            ),
          },
        }
      : {}),
    dataServices: [...(svc.dataServices ?? [])].sort(),
    secrets: [...(svc.secrets ?? [])].sort(),
    allowFrom: [...(svc.allowFrom ?? [])].sort(),
    origin: origin(at, false),
  };
}
