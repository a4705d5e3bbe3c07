/**
 * The access-expiry sweep (scheduled every minute by the bot): revokes every grant whose time is up — the
 * store is the memory, so grants made before a restart are found the same way — and then looks at the
 * clusters for grant bindings that should not exist (a binding re-created by hand after its grant ended, or
 * one no grant knows): each is reported as drift and removed, because a time-bound grant that outlives its
 * time is exactly what JIT access exists to prevent.
 */
import { policyNamespaces } from '../compiler/emitters/kubernetes/rbac.js';
import type { Model } from '../compiler/model.js';
import type { KubeObject } from '../integrations/kubernetes.js';
import type { AccessRequest } from '../store/types.js';
import { bindingRef, grantKey, grantOfBinding, isGrantBinding } from './bindings.js';
import { type AccessDeps, revokeAccess } from './service.js';

export interface SweepReport {
  revoked: string[];
  /** Grants whose revocation failed this time (retried on the next tick). */
  failed: Array<{ id: string; error: string }>;
  drift: Array<{ env: string; binding: string; grantId?: string; removed: boolean; why: string }>;
  /** Environments whose cluster could not be checked. */
  unreachable: Array<{ env: string; error: string }>;
}

export async function sweepAccess(deps: AccessDeps, actor: string): Promise<SweepReport> {
  const report: SweepReport = { revoked: [], failed: [], drift: [], unreachable: [] };
  const now = deps.now();
  for (const g of await deps.store.listExpiredGrants(now)) {
    const r = await revokeAccess(deps, { requestId: g.id, actor, reason: 'expired', system: true });
    if (r.kind === 'success') report.revoked.push(g.id);
    else report.failed.push({ id: g.id, error: r.message });
  }
  for (const env of environmentsWithAccess(deps.model)) {
    try {
      await checkDrift(deps, env, actor, report);
    } catch (err) {
      report.unreachable.push({ env, error: (err as Error).message });
    }
  }
  return report;
}

function environmentsWithAccess(model: Model): string[] {
  return model.environments.filter((e) => e.accessPolicies.length > 0).map((e) => e.name);
}

async function checkDrift(
  deps: AccessDeps,
  envName: string,
  actor: string,
  report: SweepReport,
): Promise<void> {
  const env = deps.model.environments.find((e) => e.name === envName);
  if (!env) return;
  const policies = deps.model.accessPolicies.filter((p) => env.accessPolicies.includes(p.name));
  const kube = await deps.kube(envName);
  const found: KubeObject[] = [];
  // Per namespace (the bot may list RoleBindings only where it grants), by name prefix as well as by label:
  // a hand-made copy may lack the label.
  const namespaces = [
    ...new Set(policies.filter((p) => p.scope === 'namespace').flatMap((p) => policyNamespaces(env, p))),
  ].sort();
  for (const ns of namespaces) found.push(...(await kube.listRoleBindings(ns)).filter(isGrantBinding));
  if (policies.some((p) => p.scope === 'cluster'))
    found.push(...(await kube.listClusterRoleBindings()).filter(isGrantBinding));
  if (found.length === 0) return;

  const requests = await deps.store.listAccessRequests({ env: envName });
  const byKey = new Map<string, AccessRequest>();
  for (const r of requests) {
    byKey.set(r.id, r);
    byKey.set(grantKey(r.id), r);
  }
  const now = deps.now();
  for (const b of found) {
    const claimed = grantOfBinding(b);
    const r = claimed ? byKey.get(claimed) : undefined;
    const ref = bindingRef(b);
    let why: string | undefined;
    if (!r) why = `no grant ${claimed ? `"${claimed}" ` : ''}is known for it`;
    else if (r.status === 'granted' && r.expiresAt && r.expiresAt > now) {
      if (!r.bindingRefs.includes(ref)) why = `grant ${r.id} did not create it`;
    } else if (r.status === 'granted') {
      continue; // expired a moment ago; the next tick's revocation handles it
    } else
      why = `grant ${r.id} is ${r.status}${r.revokedAt ? ` since ${r.revokedAt.toISOString()}` : ''} — re-created by hand?`;
    if (!why) continue;
    let removed = false;
    try {
      removed =
        b.kind === 'ClusterRoleBinding'
          ? await kube.deleteClusterRoleBinding(b.metadata.name)
          : await kube.deleteRoleBinding(b.metadata.namespace as string, b.metadata.name);
    } catch (err) {
      why += `; removing it failed: ${(err as Error).message}`;
    }
    const subjects = ((b.subjects as Array<{ name?: string }> | undefined) ?? []).map((s) => s.name);
    await deps.audit({
      actor,
      env: envName,
      action: 'access.drift',
      details: { binding: ref, grantId: claimed, subjects, removed, why },
    });
    report.drift.push({ env: envName, binding: ref, ...(claimed ? { grantId: claimed } : {}), removed, why });
    if (deps.events) {
      try {
        await deps.events({
          type: 'drift',
          env: envName,
          binding: ref,
          ...(claimed ? { grantId: claimed } : {}),
          ...(r ? { request: r } : {}),
          removed,
          why,
        });
      } catch (err) {
        deps.warn?.('access drift event could not be delivered', { binding: ref, error: err });
      }
    }
  }
}
