/**
 * A failed rotation: record the failed step, undo what can be undone (previous SealedSecret restored, new
 * credential revoked) and report whether the old credential still works.
 */
import type { KubeObject, KubernetesApi } from '../integrations/kubernetes.js';
import type { RotationRecord } from '../store/types.js';
import { emit, type RotateInput, type RotationDeps, type RotationOutcome, type Target } from './deps.js';
import type { RotationStepName } from './events.js';
import { previousPatch, ROTATION_FIELD_MANAGER, StepError, sealedRef } from './sealed-objects.js';
import type { NewCredential } from './sources.js';

/** What the rotation had done when it failed. */
export interface RotationProgress {
  rotation: RotationRecord;
  current: RotationStepName;
  credential?: NewCredential;
  kube?: KubernetesApi;
  applied: string[];
  previous: Map<string, KubeObject | undefined>;
}

export async function failRotation(
  deps: RotationDeps,
  input: RotateInput,
  t: Target,
  progress: RotationProgress,
  err: unknown,
): Promise<RotationOutcome> {
  const { env, instance, secret } = t;
  const { rotation, current, credential, kube, applied, previous } = progress;
  const ref = { rotationId: rotation.id, env: env.name, secret: secret.name };
  const failedStep = err instanceof StepError ? err.step : current;
  const error = (err as Error).message;
  if (credential) credential.data = {};
  const rollback: string[] = [];
  let rollbackOk = true;
  const oldInvalidated = credential?.oldInvalidated === true;
  // A database reset cannot be undone: putting the previous (dead) password back would break the
  // workloads for sure, so the new sealed credential stays and the rotation must be rolled forward.
  if (!oldInvalidated && kube) {
    for (const ns of applied) {
      try {
        const prev = previousPatch(t, ns, previous.get(ns));
        if (prev) await kube.apply(prev, { fieldManager: ROTATION_FIELD_MANAGER, force: true });
        else await kube.delete(sealedRef(ns, instance.name));
        rollback.push(`SealedSecret ${ns}/${instance.name} restored to its previous value`);
      } catch (e) {
        rollbackOk = false;
        rollback.push(`SealedSecret ${ns}/${instance.name} could not be restored: ${(e as Error).message}`);
      }
    }
  }
  if (credential?.discard) {
    try {
      rollback.push(await credential.discard());
    } catch (e) {
      rollbackOk = false;
      rollback.push(`the new credential could not be revoked: ${(e as Error).message}`);
    }
  }
  if (oldInvalidated)
    rollback.push(
      'the database password was already reset: re-run the rotation to reseal a working credential',
    );
  await deps.store.recordRotationStep(rotation.id, {
    step: failedStep,
    status: 'failed',
    details: { error },
    at: deps.now(),
  });
  if (rollback.length > 0) {
    await deps.store.recordRotationStep(rotation.id, {
      step: 'rollback',
      status: rollbackOk ? 'ok' : 'failed',
      details: { actions: rollback },
      at: deps.now(),
    });
  }
  const status = rollback.length > 0 && rollbackOk && !oldInvalidated ? 'rolled-back' : 'failed';
  const finished = await deps.store.recordRotationFinish(rotation.id, {
    status,
    error: `${failedStep}: ${error}`,
    at: deps.now(),
  });
  await deps.audit({
    actor: input.actor,
    env: env.name,
    action: 'rotation.fail',
    details: {
      rotationId: rotation.id,
      secret: secret.name,
      source: secret.source,
      step: failedStep,
      error,
      rollback,
      status,
    },
  });
  await emit(deps, {
    ...ref,
    type: 'failed',
    step: failedStep,
    error,
    rollback,
    oldCredentialValid: !oldInvalidated,
  });
  return {
    kind: 'error',
    message: `rotation of ${secret.name} in ${env.name} failed at ${failedStep}: ${error}`,
    ...(finished ? { rotation: finished } : {}),
  };
}
