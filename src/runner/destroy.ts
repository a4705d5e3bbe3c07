/**
 * destroy one environment: a destroy plan, applied through the same gate. Production is refused unless the
 * spec allows it (approvals.allowDestroy) *and* an approval of this destroy plan's digest exists; any other
 * environment whose spec requires approvals needs one too.
 */
import { type AppliedEnv, applyEnv } from './apply.js';
import { Codes, type Outcome, type RunnerDeps, refused } from './context.js';
import { type PlannedEnv, planEnv } from './plan.js';

export interface DestroyResult {
  plan: PlannedEnv;
  applied: AppliedEnv;
}

export async function destroyEnv(deps: RunnerDeps, env: string): Promise<Outcome<DestroyResult>> {
  const policy = deps.policy(env);
  if (!policy) return refused<DestroyResult>(env, Codes.unknownEnv, `the spec has no environment "${env}"`);
  const production = policy.tier === 'production';
  if (production && !policy.approvals.allowDestroy) {
    const r = refused<DestroyResult>(
      env,
      Codes.destroyForbidden,
      `${env} is a production environment and its spec does not allow destroying it (approvals.allowDestroy is false)`,
      `set environments.${env}.approvals.allowDestroy: true in a reviewed change first`,
    );
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: 'destroy.refused',
      details: { reason: 'allowDestroy is false' },
    });
    return r;
  }
  const planned = await planEnv(deps, env, { kind: 'destroy' });
  if (planned.status !== 'ok') return planned as Exclude<Outcome<DestroyResult>, { status: 'ok' }>;
  // Protected environments (production, or any whose spec requires approvals) need an approval of this
  // destroy plan's own digest.
  const applied = await applyEnv(deps, env, {
    digest: planned.value.digest,
    forceApproval: production || policy.approvals.required,
  });
  if (applied.status !== 'ok') return applied as Exclude<Outcome<DestroyResult>, { status: 'ok' }>;
  return { env, status: 'ok', value: { plan: planned.value, applied: applied.value } };
}
