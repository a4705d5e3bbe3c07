import { suggest } from '../diagnostics/suggest.js';
import type { SecretInstance, SecretModel, ServiceInstance } from '../model.js';
import { PLATFORM_SECRETS } from '../model.js';
import { parseDuration } from '../quantities.js';
import type { NormalizeContext, Seg } from './context.js';
import { resolveEnvList } from './context.js';

/**
 * `secrets:` with defaults applied, references checked (ENVC1205 environments, ENVC1206 usedBy), plus the
 * platform's own Redis password secret where an environment runs Redis.
 */
export function secretModels(ctx: NormalizeContext, serviceNames: string[]): SecretModel[] {
  const { spec, origin } = ctx;
  const models: SecretModel[] = (spec.secrets ?? []).map((s, i) => {
    const at: Seg[] = ['secrets', i];
    (s.usedBy ?? []).forEach((svc, j) => {
      if (!serviceNames.includes(svc)) {
        const sug = suggest(svc, serviceNames);
        ctx.refError(
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
      environments: resolveEnvList(
        ctx,
        s.environments,
        [...at, 'environments'],
        'ENVC1205',
        `secret "${s.name}"`,
      ),
      ...(s.environments.includes('all') ? { environmentsAll: true as const } : {}),
      usedBy: s.usedBy ?? [],
      scope: s.scope ?? 'strict',
      ...(s.bucket ? { bucketTemplate: s.bucket } : {}),
      access: s.access ?? 'read_write',
      length: s.length ?? 32,
      alphabet: s.alphabet ?? 'alphanumeric',
      origin: origin(at, false),
    };
  });
  const redis = redisSecret(ctx);
  if (redis) models.push(redis);
  return models;
}

/**
 * The in-cluster Redis and the services using it share one password Secret, which envc declares itself
 * (rotation generates and seals it: one writer per namespace). Its name is reserved where Redis runs.
 */
function redisSecret(ctx: NormalizeContext): SecretModel | undefined {
  const { spec, envNames, origin } = ctx;
  const redisEnvs = envNames.filter((n) => spec.environments[n]!.dataServices?.redis);
  if (redisEnvs.length === 0) return undefined;
  const r = PLATFORM_SECRETS.redis;
  const clash = (spec.secrets ?? []).findIndex((s) => s.name === r.name);
  if (clash >= 0) {
    ctx.refError(
      'ENVC1215',
      ['secrets', clash, 'name'],
      `secret name ${JSON.stringify(r.name)} is reserved: envc declares it for the in-cluster Redis`,
      'rename this secret; envc generates, seals and rotates the Redis password itself',
    );
    return undefined;
  }
  return {
    name: r.name,
    description: r.description,
    source: 'generated',
    rotateEvery: r.rotateEvery,
    rotateEverySeconds: parseDuration(r.rotateEvery) ?? 0,
    gracePeriodSeconds: 0,
    environments: redisEnvs,
    usedBy: (spec.services ?? []).filter((svc) => svc.dataServices?.includes('redis')).map((svc) => svc.name),
    scope: 'strict',
    access: 'read_write',
    length: r.length,
    alphabet: r.alphabet,
    key: r.key,
    platform: true,
    origin: origin(['environments', redisEnvs[0]!, 'dataServices', 'redis']),
  };
}

/** The secrets one environment carries, each with the namespaces that read it (`envc-system` if none). */
export function secretInstances(
  envName: string,
  secrets: SecretModel[],
  services: ServiceInstance[],
): SecretInstance[] {
  return secrets
    .filter((s) => s.environments.includes(envName))
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
        ...(s.bucketTemplate ? { bucket: s.bucketTemplate.replaceAll('{env}', envName) } : {}),
        rotateEverySeconds: s.rotateEverySeconds,
        gracePeriodSeconds: s.gracePeriodSeconds,
        scope: s.scope,
        usedBy: users.map((u) => u.name).sort(),
        ...(s.key ? { key: s.key } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
