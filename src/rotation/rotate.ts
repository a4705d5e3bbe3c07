/**
 * One rotation of one secret in one environment, as a sequence of recorded steps:
 *
 *   preflight → credential → seal → apply → unseal → restart → rollout → revoke-old | revocation-scheduled
 *
 * Nothing changes before preflight has passed (certificate fetched, current SealedSecrets read, database
 * found). The old credential is never touched until the new one is live and every workload using it is
 * rolled out; a failure after that point rolls back what can be rolled back (previous SealedSecret restored,
 * new key revoked), so the old credential keeps working — except a database reset, which invalidates the old
 * password by itself (documented: no grace period, roll forward instead).
 *
 * Values: plaintext exists between `credential` and `seal`, in memory only; what leaves the process is
 * sealed. Errors are reported with the step, never with a value.
 */
import { ANNOTATION } from '../compiler/emitters/kubernetes/platform.js';
import { DEFAULT_SEALED_SECRETS, type KubeObject, type KubernetesApi } from '../integrations/kubernetes.js';
import { sealData, validateSealedSecret } from '../integrations/sealing.js';
import type { RotationRecord } from '../store/types.js';
import {
  emit,
  findTarget,
  type RotateInput,
  type RotationDeps,
  type RotationOutcome,
  type Target,
} from './deps.js';
import type { RotationStepName } from './events.js';
import { failRotation } from './rollback.js';
import { nextDue } from './schedule.js';
import {
  describeCredential,
  ROTATION_FIELD_MANAGER,
  rotationPatch,
  StepError,
  sealedRef,
  waitUnsealed,
} from './sealed-objects.js';
import { createCredential, type NewCredential, prepare } from './sources.js';

export * from './deps.js';
export { ROTATION_FIELD_MANAGER } from './sealed-objects.js';

export async function rotateSecret(deps: RotationDeps, input: RotateInput): Promise<RotationOutcome> {
  const target = findTarget(deps.model, input.env, input.secret);
  if (typeof target === 'string') return { kind: 'failure', message: target };
  const lock = await deps.store.tryJobLock(`rotation:${input.env}:${input.secret}`);
  if (!lock)
    return { kind: 'failure', message: `a rotation of ${input.secret} in ${input.env} is already running` };
  try {
    return await runRotation(deps, input, target);
  } finally {
    await lock.release();
  }
}

async function runRotation(deps: RotationDeps, input: RotateInput, t: Target): Promise<RotationOutcome> {
  const { env, instance, secret } = t;
  const startedAt = deps.now();
  let rotation: RotationRecord;
  if (input.rotationId) {
    const existing = (await deps.store.listRotations({ env: env.name, secret: secret.name, limit: 50 })).find(
      (r) => r.id === input.rotationId,
    );
    if (existing?.status !== 'running')
      return { kind: 'failure', message: `rotation ${input.rotationId} is not waiting to run` };
    rotation = existing as RotationRecord;
  } else {
    rotation = await deps.store.recordRotationStart({
      env: env.name,
      secret: secret.name,
      actor: input.actor,
      details: { source: secret.source, trigger: input.trigger, scope: instance.scope },
      now: startedAt,
    });
  }
  const ref = { rotationId: rotation.id, env: env.name, secret: secret.name };
  await deps.audit({
    actor: input.actor,
    env: env.name,
    action: 'rotation.start',
    details: { rotationId: rotation.id, secret: secret.name, source: secret.source, trigger: input.trigger },
  });
  await emit(deps, {
    ...ref,
    type: 'started',
    actor: input.actor,
    trigger: input.trigger,
    source: secret.source,
  });

  const step = async (
    name: RotationStepName,
    message: string,
    details: Record<string, unknown> = {},
    status: 'ok' | 'skipped' = 'ok',
  ) => {
    await deps.store.recordRotationStep(rotation.id, { step: name, status, details, at: deps.now() });
    await emit(deps, { ...ref, type: 'step', step: name, message });
  };

  // State needed for rollback.
  let credential: NewCredential | undefined;
  const applied: string[] = [];
  const previous = new Map<string, KubeObject | undefined>();
  let current: RotationStepName = 'preflight';
  let kube: KubernetesApi | undefined;

  try {
    // ── preflight: everything that can fail before anything changes ──────────────────────────────────
    kube = await deps.kube(env.name);
    const ss = deps.sealedSecrets ?? DEFAULT_SEALED_SECRETS;
    const certificate = await kube.sealedSecretsCertificate(ss);
    for (const ns of instance.namespaces) previous.set(ns, await kube.get(sealedRef(ns, instance.name)));
    const workloads: Array<{ namespace: string; name: string }> = [];
    const notDeployed: string[] = [];
    for (const svc of instance.usedBy) {
      const s = env.services.find((x) => x.name === svc);
      if (!s) continue;
      const d = await kube.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: s.namespace,
        name: s.name,
      });
      if (d) workloads.push({ namespace: s.namespace, name: s.name });
      else notDeployed.push(`${s.namespace}/${s.name}`);
    }
    const prepared = await prepare({
      model: deps.model,
      env,
      instance,
      secret,
      now: startedAt,
      linode: deps.linode,
    });
    await deps.store.recordRotationStep(rotation.id, {
      step: 'preflight',
      status: 'ok',
      details: {
        namespaces: instance.namespaces,
        workloads: workloads.map((w) => `${w.namespace}/${w.name}`),
        notDeployed,
      },
      at: deps.now(),
    });

    // ── credential ─────────────────────────────────────────────────────────────────────────────────────
    current = 'credential';
    credential = await createCredential(
      { model: deps.model, env, instance, secret, now: startedAt, linode: deps.linode },
      prepared,
    );
    await step('credential', describeCredential(secret.source), {
      ...credential.ref,
      oldKeyIds: credential.oldKeyIds,
    });

    // ── seal (plaintext is dropped right after) ───────────────────────────────────────────────────────
    current = 'seal';
    const rotatedAt = deps.now();
    const due = nextDue(rotatedAt, instance.rotateEverySeconds);
    const annotations = {
      [ANNOTATION.rotatedAt]: rotatedAt.toISOString(),
      [ANNOTATION.rotatedBy]: input.actor,
      [ANNOTATION.nextDue]: due.toISOString(),
    };
    const patches: KubeObject[] = [];
    for (const ns of instance.namespaces) {
      const encryptedData = await sealData({
        certificate,
        namespace: ns,
        name: instance.name,
        scope: instance.scope,
        data: credential.data,
      });
      const p = rotationPatch(t, ns, encryptedData, annotations);
      await validateSealedSecret(p);
      patches.push(p);
    }
    credential.data = {};
    await step('seal', `sealed for ${instance.namespaces.join(', ')} (${instance.scope} scope)`, {
      namespaces: instance.namespaces,
      scope: instance.scope,
    });

    // ── apply ─────────────────────────────────────────────────────────────────────────────────────────
    current = 'apply';
    for (const p of patches) {
      await kube.apply(p, { fieldManager: ROTATION_FIELD_MANAGER, force: true });
      applied.push(p.metadata.namespace as string);
    }
    await deps.store.recordRotationStep(rotation.id, {
      step: 'apply',
      status: 'ok',
      details: { namespaces: applied },
      at: deps.now(),
    });

    // ── unseal: the controller must have produced the new Secret before any pod restarts ──────────────
    current = 'unseal';
    for (const ns of applied) await waitUnsealed(deps, kube, ns, instance.name);
    await deps.store.recordRotationStep(rotation.id, {
      step: 'unseal',
      status: 'ok',
      details: {},
      at: deps.now(),
    });

    // ── restart and rollout ───────────────────────────────────────────────────────────────────────────
    current = 'restart';
    for (const w of workloads) await kube.restartDeployment(w.namespace, w.name, deps.now());
    await deps.store.recordRotationStep(rotation.id, {
      step: 'restart',
      status: workloads.length ? 'ok' : 'skipped',
      details: { workloads: workloads.map((w) => `${w.namespace}/${w.name}`) },
      at: deps.now(),
    });
    current = 'rollout';
    for (const w of workloads) {
      const s = await kube.waitForRollout(w.namespace, w.name, {
        timeoutMs: deps.rolloutTimeoutMs ?? 600_000,
        intervalMs: deps.pollIntervalMs ?? 2_000,
      });
      if (!s.done) throw new StepError('rollout', s.message);
    }
    await step(
      'rollout',
      workloads.length
        ? `rolled out ${workloads.map((w) => `${w.namespace}/${w.name}`).join(', ')}`
        : 'no workload to restart',
      { workloads: workloads.map((w) => `${w.namespace}/${w.name}`), notDeployed },
      workloads.length ? 'ok' : 'skipped',
    );

    // ── retire the old credential ─────────────────────────────────────────────────────────────────────
    current = 'revoke-old';
    let revocationDueAt: Date | undefined;
    if (credential.oldKeyIds.length > 0) {
      if (instance.gracePeriodSeconds > 0) {
        revocationDueAt = new Date(deps.now().getTime() + instance.gracePeriodSeconds * 1000);
        await step(
          'revocation-scheduled',
          `old key(s) stay valid until ${revocationDueAt.toISOString()} (grace period)`,
          {
            keyIds: credential.oldKeyIds,
            dueAt: revocationDueAt.toISOString(),
          },
        );
      } else {
        const linode = await deps.linode();
        for (const id of credential.oldKeyIds) await linode.revokeObjectStorageKey(id);
        await step('revoke-old', `old key(s) revoked (${credential.oldKeyIds.length})`, {
          keyIds: credential.oldKeyIds,
        });
      }
    } else if (credential.oldInvalidated) {
      await step(
        'revoke-old',
        'the old password stopped working with the reset (no grace period for database credentials)',
        { by: 'reset' },
      );
    }

    const finished =
      (await deps.store.recordRotationFinish(rotation.id, { status: 'succeeded', at: deps.now() })) ??
      rotation;
    await deps.audit({
      actor: input.actor,
      env: env.name,
      action: 'rotation.finish',
      details: {
        rotationId: rotation.id,
        secret: secret.name,
        source: secret.source,
        status: 'succeeded',
        nextDue: due.toISOString(),
        revocationDueAt: revocationDueAt?.toISOString(),
      },
    });
    await emit(deps, {
      ...ref,
      type: 'succeeded',
      rotation: finished,
      nextDue: due,
      ...(revocationDueAt ? { revocationDueAt } : {}),
    });
    return {
      kind: 'success',
      rotation: finished,
      message: `rotated ${secret.name} in ${env.name}; next due ${due.toISOString()}`,
    };
  } catch (err) {
    return failRotation(deps, input, t, { rotation, current, credential, kube, applied, previous }, err);
  }
}
