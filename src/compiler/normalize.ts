import type { Diagnostic } from './diagnostics/diagnostic.js';
import { formatPath } from './diagnostics/diagnostic.js';
import { suggest } from './diagnostics/suggest.js';
import { isGpuPlan, nodeAllocatable } from './linode-types.js';
import { DEFAULT_KUBERNETES_VERSION } from './lke-versions.js';
import type { SpecSource } from './load.js';
import type {
  AccessPolicyModel,
  EnvironmentModel,
  Model,
  NamespaceModel,
  Origin,
  Quantity,
  ResourcePair,
  SecretInstance,
  SecretModel,
  ServiceInstance,
  Spec,
  Tier,
} from './model.js';
import { PLATFORM_SECRETS } from './model.js';
import { parseCpu, parseDuration, parseMemory } from './quantities.js';
import type { Environment as SpecEnvironment, Service as SpecService } from './spec.generated.js';

type Seg = string | number;

/**
 * Platform namespaces every environment gets (envc-bot too: the bot's ServiceAccount is its identity in every
 * cluster); argocd only where it is hosted.
 */
const PLATFORM_NAMESPACES = [
  'cert-manager',
  'envc-bot',
  'ingress-nginx',
  'monitoring',
  'sealed-secrets',
] as const;

/** Default container resources for a service that declares none. */
const DEFAULT_SERVICE_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

/**
 * Turns a schema-valid spec into the model: defaults applied, `all` and `{env}` expanded, per-environment
 * overrides resolved, references checked (ENVC12xx, located at the reference). Pure.
 */
export function normalize(source: SpecSource): { model?: Model; diagnostics: Diagnostic[] } {
  const spec = source.data as Spec;
  const diagnostics: Diagnostic[] = [];
  const origin = (segs: Seg[], key = typeof segs[segs.length - 1] === 'string'): Origin => {
    const span = source.locate(segs, key);
    return { path: formatPath(segs), file: span.file, line: span.line, column: span.column };
  };
  const refError = (code: string, segs: Seg[], message: string, hint?: string) => {
    const o = origin(segs, false);
    diagnostics.push({
      code,
      severity: 'error',
      message,
      file: o.file,
      line: o.line,
      column: o.column,
      path: o.path,
      ...(hint ? { hint } : {}),
    });
  };

  const envNames = Object.keys(spec.environments);
  const appEnvNames = envNames.filter((n) => spec.environments[n]!.tier !== 'system');
  const knownEnvs = `known environments: ${envNames.join(', ')}`;

  /** Resolves an `environments:` list (with `all`) and reports unknown names. */
  const resolveEnvList = (list: string[], at: Seg[], code: string, what: string): string[] => {
    const out = new Set<string>();
    list.forEach((name, i) => {
      if (name === 'all') {
        for (const n of appEnvNames) out.add(n);
      } else if (spec.environments[name]) out.add(name);
      else {
        const s = suggest(name, envNames);
        refError(
          code,
          [...at, i],
          `${what} names unknown environment ${JSON.stringify(name)}`,
          `${knownEnvs}${s ? ` — did you mean "${s}"?` : ''}`,
        );
      }
    });
    return envNames.filter((n) => out.has(n));
  };

  const checkEnvKeys = (
    map: Record<string, unknown> | undefined,
    at: Seg[],
    code: string,
    what: string,
    allowDefault: boolean,
  ) => {
    for (const key of Object.keys(map ?? {})) {
      if (allowDefault && key === 'default') continue;
      if (!spec.environments[key]) {
        const s = suggest(key, envNames);
        const o = origin([...at, key], true);
        diagnostics.push({
          code,
          severity: 'error',
          message: `${what} for unknown environment ${JSON.stringify(key)}`,
          file: o.file,
          line: o.line,
          column: o.column,
          path: o.path,
          hint: `${allowDefault ? 'use "default" or ' : ''}${knownEnvs}${s ? ` — did you mean "${s}"?` : ''}`,
        });
      }
    }
  };

  const duplicates = (names: string[], at: Seg[], what: string) => {
    const seen = new Map<string, number>();
    names.forEach((n, i) => {
      if (seen.has(n))
        refError(
          'ENVC1209',
          [...at, i, 'name'],
          `${what} ${JSON.stringify(n)} is declared twice (also at ${formatPath([...at, seen.get(n)!])})`,
          'names must be unique; rename or merge one of them',
        );
      else seen.set(n, i);
    });
  };

  const services = spec.services ?? [];
  const secrets = spec.secrets ?? [];
  const policies = spec.accessPolicies ?? [];
  duplicates(
    services.map((s) => s.name),
    ['services'],
    'service',
  );
  duplicates(
    secrets.map((s) => s.name),
    ['secrets'],
    'secret',
  );
  duplicates(
    policies.map((p) => p.name),
    ['accessPolicies'],
    'access policy',
  );
  (spec.waivers ?? []).forEach((w, i) => {
    if (!isCalendarDate(w.expires)) {
      refError(
        'ENVC1008',
        ['waivers', i, 'expires'],
        `${JSON.stringify(w.expires)} is not a valid date for waivers[${i}].expires`,
        'dates are written YYYY-MM-DD and must exist in the calendar',
      );
    }
  });
  const secretNames = secrets.map((s) => s.name);
  const serviceNames = services.map((s) => s.name);

  // Services: references and per-environment expansion.
  const serviceEnvs = new Map<string, string[]>();
  services.forEach((svc, i) => {
    const at: Seg[] = ['services', i];
    serviceEnvs.set(
      svc.name,
      resolveEnvList(svc.environments, [...at, 'environments'], 'ENVC1203', `service "${svc.name}"`),
    );
    checkEnvKeys(svc.replicas, [...at, 'replicas'], 'ENVC1202', `service "${svc.name}" sets replicas`, true);
    checkEnvKeys(
      svc.autoscaling,
      [...at, 'autoscaling'],
      'ENVC1207',
      `service "${svc.name}" sets autoscaling`,
      false,
    );
    checkEnvKeys(
      svc.ingress?.hosts,
      [...at, 'ingress', 'hosts'],
      'ENVC1208',
      `service "${svc.name}" sets an ingress host`,
      false,
    );
    (svc.secrets ?? []).forEach((name, j) => {
      if (!secretNames.includes(name)) {
        const s = suggest(name, secretNames);
        refError(
          'ENVC1204',
          [...at, 'secrets', j],
          `service "${svc.name}" uses unknown secret ${JSON.stringify(name)}`,
          `declare it under \`secrets:\`${s ? ` — did you mean "${s}"?` : ''}`,
        );
      }
    });
    const placeholder = /\{([^}]*)\}/g;
    for (const m of (svc.ingress?.host ?? '').matchAll(placeholder)) {
      if (m[1] !== 'env')
        refError(
          'ENVC1214',
          [...at, 'ingress', 'host'],
          `unknown placeholder {${m[1]}} in ingress host`,
          'the only placeholder is {env}',
        );
    }
  });

  const policyModels: AccessPolicyModel[] = policies.map((p, i) => {
    const at: Seg[] = ['accessPolicies', i];
    return {
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      environments: resolveEnvList(
        p.environments,
        [...at, 'environments'],
        'ENVC1201',
        `access policy "${p.name}"`,
      ),
      role: p.role,
      scope: p.scope ?? 'namespace',
      ...(p.namespaces ? { namespaces: [...p.namespaces] } : {}),
      maxDuration: p.maxDuration,
      maxDurationSeconds: parseDuration(p.maxDuration) ?? 0,
      approvers: p.approvers ?? [...(spec.slack.approvers ?? [])],
      minApprovals: p.minApprovals ?? 1,
      breakGlass: p.breakGlass ?? false,
      groups: p.groups ?? [],
      origin: origin(at, false),
    };
  });

  const secretModels: SecretModel[] = secrets.map((s, i) => {
    const at: Seg[] = ['secrets', i];
    (s.usedBy ?? []).forEach((svc, j) => {
      if (!serviceNames.includes(svc)) {
        const sug = suggest(svc, serviceNames);
        refError(
          'ENVC1206',
          [...at, 'usedBy', j],
          `secret "${s.name}" is used by unknown service ${JSON.stringify(svc)}`,
          sug ? `did you mean "${sug}"?` : `known services: ${serviceNames.join(', ') || 'none'}`,
        );
      }
    });
    return {
      name: s.name,
      ...(s.description ? { description: s.description } : {}),
      source: s.source,
      rotateEvery: s.rotateEvery,
      rotateEverySeconds: parseDuration(s.rotateEvery) ?? 0,
      gracePeriodSeconds:
        s.source === 'linode-database-credentials' ? 0 : (parseDuration(s.gracePeriod ?? '') ?? 0),
      ...(s.gracePeriod ? { gracePeriod: s.gracePeriod } : {}),
      environments: resolveEnvList(s.environments, [...at, 'environments'], 'ENVC1205', `secret "${s.name}"`),
      usedBy: s.usedBy ?? [],
      scope: s.scope ?? 'strict',
      ...(s.bucket ? { bucketTemplate: s.bucket } : {}),
      access: s.access ?? 'read_write',
      length: s.length ?? 32,
      alphabet: s.alphabet ?? 'alphanumeric',
      origin: origin(at, false),
    };
  });

  // The in-cluster Redis and the services using it share one password Secret, which envc declares itself
  // (rotation generates and seals it: one writer per namespace). Its name is reserved where Redis runs.
  const redisEnvs = envNames.filter((n) => spec.environments[n]!.dataServices?.redis);
  if (redisEnvs.length > 0) {
    const r = PLATFORM_SECRETS.redis;
    const clash = secretNames.indexOf(r.name);
    if (clash >= 0) {
      refError(
        'ENVC1215',
        ['secrets', clash, 'name'],
        `secret name ${JSON.stringify(r.name)} is reserved: envc declares it for the in-cluster Redis`,
        'rename this secret; envc generates, seals and rotates the Redis password itself',
      );
    } else {
      secretModels.push({
        name: r.name,
        description: r.description,
        source: 'generated',
        rotateEvery: r.rotateEvery,
        rotateEverySeconds: parseDuration(r.rotateEvery) ?? 0,
        gracePeriodSeconds: 0,
        environments: redisEnvs,
        usedBy: services.filter((svc) => svc.dataServices?.includes('redis')).map((svc) => svc.name),
        scope: 'strict',
        access: 'read_write',
        length: r.length,
        alphabet: r.alphabet,
        key: r.key,
        platform: true,
        origin: origin(['environments', redisEnvs[0]!, 'dataServices', 'redis']),
      });
    }
  }

  const defaults = {
    region: spec.defaults?.region ?? 'us-ord',
    kubernetesVersion: spec.defaults?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    tags: spec.defaults?.tags ?? [],
  };
  const owner = spec.owner ?? 'platform-team';

  const environments: EnvironmentModel[] = envNames.map((name) => {
    const env = spec.environments[name]!;
    const at: Seg[] = ['environments', name];
    const deployed = services
      .map((svc, i) => ({ svc, i }))
      .filter(({ svc }) => serviceEnvs.get(svc.name)?.includes(name));
    const instances = deployed
      .map(({ svc, i }) => serviceInstance(svc, i, name, env, origin, refError))
      .sort((a, b) => a.name.localeCompare(b.name));
    return environmentModel(
      name,
      env,
      at,
      spec,
      defaults,
      owner,
      instances,
      policyModels,
      secretModels,
      origin,
    );
  });

  if (diagnostics.length > 0) return { diagnostics };

  const serviceOrigins: Record<string, Origin> = {};
  services.forEach((s, i) => {
    serviceOrigins[s.name] = origin(['services', i], false);
  });

  const model: Model = {
    apiVersion: 'envc/v1',
    platform: spec.platform,
    owner,
    sourceFile: source.file,
    sourceDigest: source.digest,
    defaults,
    stateBackend: {
      bucket: spec.stateBackend.bucket,
      cluster: spec.stateBackend.cluster,
      endpoint: `https://${spec.stateBackend.cluster}.linodeobjects.com`,
      keyPrefix: spec.stateBackend.keyPrefix ?? 'envc',
      writers: spec.stateBackend.writers ?? [],
      backupBucket: spec.stateBackend.backupBucket ?? spec.stateBackend.bucket,
      origin: origin(['stateBackend']),
    },
    gitops: {
      repoURL: spec.gitops.repoURL,
      targetRevision: spec.gitops.targetRevision ?? 'main',
      path: spec.gitops.path ?? 'generated/kubernetes',
    },
    slack: {
      channel: spec.slack.channel,
      approvers: spec.slack.approvers ?? [],
      usergroups: Object.fromEntries(
        Object.entries(spec.slack.usergroups ?? {})
          .map(([handle, id]) => [handle.replace(/^@/, ''), id] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
    },
    identity: {
      ...(spec.identity?.emailDomain ? { emailDomain: spec.identity.emailDomain } : {}),
      kubernetesUser: spec.identity?.kubernetesUser ?? 'email',
      groupPrefix: spec.identity?.groupPrefix ?? '',
    },
    environments,
    serviceOrigins,
    accessPolicies: policyModels,
    secrets: secretModels,
    schedules: {
      timezone: spec.schedules?.timezone ?? 'UTC',
      drift: spec.schedules?.drift ?? '0 */6 * * *',
      rotation: spec.schedules?.rotation ?? '0 9 * * *',
      accessExpiry: spec.schedules?.accessExpiry ?? '* * * * *',
      probe: spec.schedules?.probe ?? '* * * * *',
    },
    slo: { availability: spec.slo?.availability ?? 99.5 },
    waivers: (spec.waivers ?? []).map((w, i) => ({
      rule: w.rule,
      ...(w.path ? { path: w.path } : {}),
      reason: w.reason,
      expires: w.expires,
      origin: origin(['waivers', i], false),
    })),
  };
  return { model, diagnostics };
}

/** `2027-02-30` matches the schema's pattern but is no day of the calendar. */
function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function qty(text: string, kind: 'cpu' | 'memory'): Quantity {
  return { text, value: (kind === 'cpu' ? parseCpu(text) : parseMemory(text)) ?? 0 };
}

function pair(r: { cpu: string; memory: string }): ResourcePair {
  return { cpu: qty(r.cpu, 'cpu'), memory: qty(r.memory, 'memory') };
}

type OriginFn = (segs: Seg[], key?: boolean) => Origin;

function serviceInstance(
  svc: SpecService,
  i: number,
  envName: string,
  env: SpecEnvironment,
  origin: OriginFn,
  refError: (code: string, segs: Seg[], message: string, hint?: string) => void,
): ServiceInstance {
  const at: Seg[] = ['services', i];
  const res = svc.resources ?? DEFAULT_SERVICE_RESOURCES;
  const replicas = svc.replicas?.[envName] ?? svc.replicas?.default ?? 1;
  const hpa = svc.autoscaling?.[envName];
  const host = svc.ingress
    ? (svc.ingress.hosts?.[envName] ?? svc.ingress.host.replaceAll('{env}', envName))
    : undefined;
  for (const ds of svc.dataServices ?? []) {
    if (!env.dataServices?.[ds]) {
      refError(
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
    ...(svc.gpu
      ? {
          gpu: {
            count: svc.gpu.count,
            ...(svc.gpu.pool ? { pool: svc.gpu.pool } : {}),
            origin: origin([...at, 'gpu'], false),
          },
        }
      : {}),
    origin: origin(at, false),
  };
}

function environmentModel(
  name: string,
  env: SpecEnvironment,
  at: Seg[],
  spec: Spec,
  defaults: Model['defaults'],
  owner: string,
  services: ServiceInstance[],
  policies: AccessPolicyModel[],
  secrets: SecretModel[],
  origin: OriginFn,
): EnvironmentModel {
  const tier = env.tier as Tier;
  const label = `${spec.platform}-${name}`;
  const cl = env.cluster;
  const acl = cl.controlPlaneAcl;
  const fw = env.network.firewall ?? {};
  const q = env.quotas;
  const per = { requests: pair(q.perService.requests), limits: pair(q.perService.limits) };
  const podsPerService = q.podsPerService ?? 10;
  const services_ = q.services ?? 30;
  const hosts = [...(env.hosts ?? [])].sort() as EnvironmentModel['hosts'];
  const approvals = env.approvals ?? { required: false };
  const retention = env.observability?.retention ?? '7d';
  const retentionSeconds = parseDuration(retention) ?? 0;
  const tracesDefault = retentionSeconds > 7 * 86_400 ? '7d' : retention;

  const namespaces = new Map<string, NamespaceModel>();
  for (const s of services) {
    const ns = namespaces.get(s.namespace) ?? {
      name: s.namespace,
      kind: 'app' as const,
      owner: s.owner,
      services: [],
    };
    ns.services.push(s.name);
    namespaces.set(s.namespace, ns);
  }
  const platformNs: string[] = [...PLATFORM_NAMESPACES];
  if (hosts.includes('argocd')) platformNs.push('argocd');
  if (env.dataServices?.redis) platformNs.push('data');
  for (const ns of platformNs)
    if (!namespaces.has(ns)) namespaces.set(ns, { name: ns, kind: 'platform', owner, services: [] });

  const secretInstances: SecretInstance[] = secrets
    .filter((s) => s.environments.includes(name))
    .map((s) => {
      const users = services.filter((svc) => s.usedBy.includes(svc.name));
      // Redis' own pods read its password too.
      const own =
        s.platform && s.name === PLATFORM_SECRETS.redis.name ? [PLATFORM_SECRETS.redis.namespace] : [];
      const nss = [...new Set([...own, ...users.map((u) => u.namespace)])].sort();
      return {
        name: s.name,
        source: s.source,
        namespaces: nss.length > 0 ? nss : ['envc-system'],
        ...(s.bucketTemplate ? { bucket: s.bucketTemplate.replaceAll('{env}', name) } : {}),
        rotateEverySeconds: s.rotateEverySeconds,
        gracePeriodSeconds: s.gracePeriodSeconds,
        scope: s.scope,
        usedBy: users.map((u) => u.name).sort(),
        ...(s.key ? { key: s.key } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  if (secretInstances.some((s) => s.namespaces.includes('envc-system')) && !namespaces.has('envc-system')) {
    namespaces.set('envc-system', { name: 'envc-system', kind: 'platform', owner, services: [] });
  }

  const rule = (r: NonNullable<typeof fw.inbound>[number], segs: Seg[]) => ({
    label: r.label,
    action: r.action ?? 'ACCEPT',
    protocol: r.protocol,
    ...(r.ports ? { ports: r.ports } : {}),
    ipv4: r.ipv4 ?? [],
    ipv6: r.ipv6 ?? [],
    ...(r.description ? { description: r.description } : {}),
    origin: origin(segs, false),
  });

  const pg = env.dataServices?.postgres;
  const redis = env.dataServices?.redis;
  return {
    name,
    tier,
    ...(env.description ? { description: env.description } : {}),
    region: env.region ?? defaults.region,
    kubernetesVersion: cl.kubernetesVersion ?? defaults.kubernetesVersion,
    protected: env.protected ?? tier === 'production',
    hosts,
    tags: [
      ...new Set([
        `env:${name}`,
        `platform:${spec.platform}`,
        'managed-by:envc',
        `owner:${owner}`,
        ...defaults.tags,
      ]),
    ].sort(),
    cluster: {
      label,
      highAvailability: cl.highAvailability ?? false,
      controlPlaneAcl: {
        enabled: acl ? (acl.enabled ?? true) : false,
        ipv4: acl?.ipv4 ?? [],
        ipv6: acl?.ipv6 ?? [],
        ...(acl ? { origin: origin([...at, 'cluster', 'controlPlaneAcl']) } : {}),
      },
      auditLogs: cl.auditLogs ?? true,
      pools: cl.pools.map((p, i) => {
        const alloc = nodeAllocatable(p.type);
        return {
          name: p.name,
          type: p.type,
          count: p.count,
          scaleToZero: p.scaleToZero ?? false,
          ...(p.autoscaler ? { autoscaler: { min: p.autoscaler.min, max: p.autoscaler.max } } : {}),
          labels: { ...(p.labels ?? {}) },
          taints: (p.taints ?? []).map((t) => ({ ...t })),
          updateStrategy: p.updateStrategy ?? 'rolling_update',
          isGpu: isGpuPlan(p.type),
          ...(alloc ? { nodeAllocatable: alloc } : {}),
          origin: origin([...at, 'cluster', 'pools', i], false),
        };
      }),
      origin: origin([...at, 'cluster']),
    },
    network: {
      firewall: {
        label: `${label}-nodes`,
        inboundPolicy: fw.inboundPolicy ?? 'DROP',
        outboundPolicy: fw.outboundPolicy ?? 'DROP',
        inbound: (fw.inbound ?? []).map((r, i) => rule(r, [...at, 'network', 'firewall', 'inbound', i])),
        outbound: (fw.outbound ?? []).map((r, i) => rule(r, [...at, 'network', 'firewall', 'outbound', i])),
        origin: origin(env.network.firewall ? [...at, 'network', 'firewall'] : [...at, 'network']),
      },
      egressAllowlist: (env.network.egressAllowlist ?? []).map((e, i) => ({
        name: e.name,
        cidrs: [...e.cidrs],
        ports: [...e.ports],
        protocol: e.protocol ?? 'TCP',
        origin: origin([...at, 'network', 'egressAllowlist', i], false),
      })),
      dns: {
        zone: env.network.dns.zone,
        soaEmail: env.network.dns.soaEmail,
        records: (env.network.dns.records ?? []).map((r, i) => ({
          name: r.name,
          type: r.type,
          target: r.target,
          ttl: r.ttl ?? 300,
          ...(r.tag ? { tag: r.tag } : {}),
          ...(r.priority !== undefined ? { priority: r.priority } : {}),
          origin: origin([...at, 'network', 'dns', 'records', i], false),
        })),
        origin: origin([...at, 'network', 'dns']),
      },
      ...(env.network.vpc
        ? { vpc: { subnet: env.network.vpc.subnet, origin: origin([...at, 'network', 'vpc']) } }
        : {}),
    },
    quotas: {
      services: services_,
      perService: per,
      podsPerService,
      total: {
        requests: {
          cpuMillis: per.requests.cpu.value * services_,
          memoryBytes: per.requests.memory.value * services_,
        },
        limits: {
          cpuMillis: per.limits.cpu.value * services_,
          memoryBytes: per.limits.memory.value * services_,
        },
        pods: podsPerService * services_,
      },
      origin: origin([...at, 'quotas']),
    },
    dataServices: {
      ...(pg
        ? {
            postgres: {
              label: `${spec.platform}-${name}-pg`,
              type: pg.type,
              version: pg.version,
              engineId: `postgresql/${pg.version}`,
              nodes: (pg.nodes ?? 1) as 1 | 2 | 3,
              allowList: pg.allowList ?? [],
              origin: origin([...at, 'dataServices', 'postgres']),
            },
          }
        : {}),
      ...(redis
        ? {
            redis: {
              replicas: redis.replicas ?? 1,
              memory: qty(redis.memory ?? '1Gi', 'memory'),
              version: redis.version ?? '7.4',
              origin: origin([...at, 'dataServices', 'redis']),
            },
          }
        : {}),
    },
    observability: {
      retention,
      logsRetention: env.observability?.logsRetention ?? retention,
      tracesRetention: env.observability?.tracesRetention ?? tracesDefault,
      retentionSeconds,
      ...(env.observability?.heartbeatUrl ? { heartbeatUrl: env.observability.heartbeatUrl } : {}),
    },
    argocd: { autoSync: env.argocd?.autoSync ?? tier !== 'production' },
    approvals: {
      required: approvals.required,
      approvers: approvals.approvers ?? (approvals.required ? [...(spec.slack.approvers ?? [])] : []),
      minApprovals: approvals.minApprovals ?? 1,
      expiresAfter: approvals.expiresAfter ?? '1h',
      expiresAfterSeconds: parseDuration(approvals.expiresAfter ?? '1h') ?? 3600,
      allowDestroy: approvals.allowDestroy ?? false,
      origin: origin(env.approvals ? [...at, 'approvals'] : at),
    },
    namespaces: [...namespaces.values()].sort((a, b) => a.name.localeCompare(b.name)),
    services,
    accessPolicies: policies.filter((p) => p.environments.includes(name)).map((p) => p.name),
    secrets: secretInstances,
    origin: origin(at),
  };
}
