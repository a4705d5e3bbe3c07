/** Granting approved access: the bindings, all or nothing, and the kubectl context the requester uses. */
import type { Model } from '../compiler/model.js';
import { environment } from '../compiler/model.js';
import type { AccessRequest } from '../store/types.js';
import { bindingRef, GRANT_ID_ANNOTATION, grantBindings } from './bindings.js';
import type { KubectlContext } from './events.js';
import {
  type AccessDeps,
  type AccessOutcome,
  auditDetails,
  detailsOf,
  emit,
  failure,
  ok,
  policyOf,
} from './outcome.js';

export function kubectlContext(model: Model, r: AccessRequest): KubectlContext {
  const env = environment(model, r.env);
  const d = detailsOf(r);
  const cluster = env?.cluster.label ?? `${model.platform}-${r.env}`;
  const context = `envc-${r.env}`;
  const namespaces = r.namespaces ?? [];
  const ns = namespaces[0];
  return {
    context,
    cluster,
    user: d.k8sUser,
    namespaces,
    commands: [
      `kubectl config set-context ${context} --cluster=${cluster} --user=${d.k8sUser}${ns ? ` --namespace=${ns}` : ''}`,
      `kubectl --context ${context} auth can-i --list${ns ? ` -n ${ns}` : ''}`,
    ],
  };
}

/** Creates the bindings (all or none), records the grant and announces it. */
export async function grant(
  deps: AccessDeps,
  r: AccessRequest,
  actor: string,
): Promise<AccessOutcome<AccessRequest>> {
  const pe = policyOf(deps.model, r);
  const d = detailsOf(r);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + r.durationSeconds * 1000);
  const objects = grantBindings({
    id: r.id,
    env: r.env,
    policy: r.policy,
    scope: d.scope,
    namespaces: r.namespaces ?? [],
    clusterRole: d.clusterRole,
    user: d.k8sUser,
    requester: r.requester,
    approvers: r.approvers.filter((x) => !x.startsWith('break-glass:')),
    reason: r.reason,
    expiresAt,
  });
  const applied: typeof objects = [];
  let step = 'connect';
  try {
    if (!pe) throw new Error(`policy "${r.policy}" or environment "${r.env}" is no longer in the spec`);
    const kube = await deps.kube(r.env);
    step = 'create-bindings';
    // `create`, not apply: the bot's RBAC (rbac.ts) lets it create and delete bindings, never change one.
    for (const o of objects) {
      const made = await kube.create(o);
      if (!made.created && made.object.metadata.annotations?.[GRANT_ID_ANNOTATION] !== r.id) {
        throw new Error(`${bindingRef(o)} already exists and is not this grant's`);
      }
      applied.push(o);
    }
  } catch (err) {
    const error = (err as Error).message;
    // All or nothing: a half-made grant is removed again so nothing outlives the failed decision.
    const cleanup: string[] = [];
    if (applied.length > 0) {
      try {
        const kube = await deps.kube(r.env);
        for (const o of applied)
          await kube.delete({
            apiVersion: o.apiVersion,
            kind: o.kind,
            name: o.metadata.name,
            ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          });
      } catch (cleanupErr) {
        cleanup.push((cleanupErr as Error).message);
      }
    }
    const failed = (await deps.store.markAccessFailed(r.id, error)) ?? r;
    await deps.audit({
      actor,
      env: r.env,
      action: 'access.fail',
      details: auditDetails(r, { step, error, cleanupErrors: cleanup }),
    });
    await emit(deps, { type: 'failed', request: failed, step, error });
    return { kind: 'error', message: `the grant could not be created (${step}): ${error}` };
  }
  const granted = await deps.store.markGranted(r.id, {
    grantedAt: now,
    expiresAt,
    bindingRefs: objects.map(bindingRef),
  });
  if (!granted) {
    // Another replica granted it first; the bindings are the same objects (same names), so nothing is extra.
    const current = await deps.store.getAccessRequest(r.id);
    return current ? ok(current, 'already granted') : failure(`no access request "${r.id}"`);
  }
  await deps.audit({
    actor,
    env: r.env,
    action: d.breakGlass ? 'access.break-glass' : 'access.grant',
    details: auditDetails(granted, {
      expiresAt: expiresAt.toISOString(),
      bindings: granted.bindingRefs,
      approvers: granted.approvers,
      k8sUser: d.k8sUser,
    }),
  });
  await emit(deps, {
    type: 'granted',
    request: granted,
    actor,
    kubectl: kubectlContext(deps.model, granted),
    breakGlass: d.breakGlass,
  });
  return ok(granted, `granted ${r.policy} on ${r.env} until ${expiresAt.toISOString()}`);
}
