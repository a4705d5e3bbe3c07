import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { SpecSource } from './load.js';
import type { EnvironmentModel, Model, Origin } from './model.js';
import { accessPolicyModels } from './normalize/access.js';
import type { NormalizeContext } from './normalize/context.js';
import { checkDuplicates, createContext, isCalendarDate } from './normalize/context.js';
import { environmentModel } from './normalize/environment.js';
import { secretModels } from './normalize/secrets.js';
import { resolveServices, serviceInstance } from './normalize/services.js';
import { checkValues } from './normalize/values.js';

/**
 * Turns a schema-valid spec into the model: defaults applied, `all` and `{env}` expanded, per-environment
 * overrides resolved, references checked (ENVC12xx, located at the reference). Pure.
 *
 * The steps live in ./normalize/: context.ts (located-diagnostic helpers shared by every step), services.ts,
 * access.ts, secrets.ts, environment.ts (with cluster.ts and network.ts). Top-level blocks are assembled here.
 */
export function normalize(source: SpecSource): { model?: Model; diagnostics: Diagnostic[] } {
  const ctx = createContext(source);
  const { spec, envNames, diagnostics, origin } = ctx;

  const services = spec.services ?? [];
  const secrets = spec.secrets ?? [];
  checkDuplicates(
    ctx,
    services.map((s) => s.name),
    ['services'],
    'service',
  );
  checkDuplicates(
    ctx,
    secrets.map((s) => s.name),
    ['secrets'],
    'secret',
  );
  checkDuplicates(
    ctx,
    (spec.accessPolicies ?? []).map((p) => p.name),
    ['accessPolicies'],
    'access policy',
  );
  checkWaiverDates(ctx);
  checkValues(ctx);

  const serviceEnvs = resolveServices(
    ctx,
    services,
    secrets.map((s) => s.name),
  );
  const policyModels = accessPolicyModels(ctx);
  const secretModels_ = secretModels(
    ctx,
    services.map((s) => s.name),
  );

  const defaults = {
    region: spec.defaults?.region ?? 'us-ord',
    kubernetesVersion: spec.defaults?.kubernetesVersion ?? '1.33',
    tags: spec.defaults?.tags ?? [],
  };
  const owner = spec.owner ?? 'platform-team';

  const environments: EnvironmentModel[] = envNames.map((name) => {
    const env = spec.environments[name]!;
    const instances = services
      .map((svc, i) => ({ svc, i }))
      .filter(({ svc }) => serviceEnvs.get(svc.name)?.includes(name))
      .map(({ svc, i }) => serviceInstance(ctx, svc, i, name, env))
      .sort((a, b) => a.name.localeCompare(b.name));
    return environmentModel(ctx, name, env, {
      defaults,
      owner,
      services: instances,
      policies: policyModels,
      secrets: secretModels_,
    });
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
    secrets: secretModels_,
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

/** ENVC1008: a waiver's `expires` must be a day of the calendar (the schema only checks the shape). */
function checkWaiverDates(ctx: NormalizeContext): void {
  (ctx.spec.waivers ?? []).forEach((w, i) => {
    if (!isCalendarDate(w.expires)) {
      ctx.refError(
        'ENVC1008',
        ['waivers', i, 'expires'],
        `${JSON.stringify(w.expires)} is not a valid date for waivers[${i}].expires`,
        'dates are written YYYY-MM-DD and must exist in the calendar',
      );
    }
  });
}
