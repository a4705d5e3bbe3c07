/**
 * drift of one environment, three ways: infrastructure changed outside Terraform (refresh-only plan),
 * generated code not yet applied (normal plan), and generated/ out of date with the spec (compile --check).
 * The findings get a fingerprint, so repeated runs update one incident instead of raising new ones, and a
 * clean run resolves the open incident.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriftIncident } from '../store/types.js';
import { failedOutcome, type Outcome, type RunnerDeps } from './context.js';
import { canonicalJson } from './digest.js';
import { backendConfigOf } from './stacks.js';
import { init } from './steps/init.js';
import { plan } from './steps/plan.js';
import { type PlanJson, show } from './steps/show.js';
import { actionOf } from './summary.js';

export interface DriftFindings {
  /** `address (action)` of resources and `output.name (action)` changed outside Terraform. */
  infrastructure: string[];
  /** `address (action)` the generated code would change. */
  unapplied: string[];
  staleFiles: string[];
}

export interface DriftReport extends DriftFindings {
  env: string;
  drifted: boolean;
  fingerprint?: string;
  incident?: { id: string; isNew: boolean; changed: boolean; occurrences: number };
  resolvedIncidentId?: string;
}

function lines(changes: PlanJson['resource_changes'], outputs: PlanJson['output_changes']): string[] {
  const out: string[] = [];
  for (const rc of changes ?? []) {
    const a = actionOf(rc.change?.actions ?? []);
    if (a && a !== 'read') out.push(`${rc.address} (${a})`);
  }
  for (const [name, c] of Object.entries(outputs ?? {})) {
    const a = actionOf(c.actions ?? []);
    if (a) out.push(`output.${name} (${a})`);
  }
  return out.sort();
}

/** Pure: what drifted → a fingerprint that ignores values and order, so the same drift maps to one incident. */
export function driftFingerprint(f: DriftFindings): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        infrastructure: [...f.infrastructure].sort(),
        unapplied: [...f.unapplied].sort(),
        staleFiles: [...f.staleFiles].sort(),
      }),
    )
    .digest('hex');
}

export async function driftEnv(deps: RunnerDeps, env: string): Promise<Outcome<DriftReport>> {
  const dir = join(deps.stacksDir, env);
  const signal = deps.signal;
  const onLine = deps.output ? (line: string) => deps.output!(env, line) : undefined;
  const scratch = join(deps.workDir, 'drift', `${env}-${randomBytes(4).toString('hex')}`);
  const fail = async (message: string) => {
    await deps.notifier.notify({
      type: 'failed',
      env,
      actor: deps.actor,
      at: deps.now(),
      stage: 'drift',
      message,
    });
    return failedOutcome<DriftReport>(env, message);
  };
  if (signal?.aborted) return failedOutcome(env, 'interrupted before it started');
  try {
    await mkdir(scratch, { recursive: true });
    deps.progress(env, 'init');
    const i = await init(deps.terraform, dir, {
      backend: deps.backend,
      backendConfig: backendConfigOf(dir),
      ...(signal ? { signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
    if (!i.ok) return fail(i.message);

    const findings: DriftFindings = { infrastructure: [], unapplied: [], staleFiles: [] };
    deps.progress(env, 'refresh-only plan');
    const refreshFile = join(scratch, 'refresh.tfplan');
    const r = await plan(deps.terraform, dir, {
      out: refreshFile,
      mode: 'refresh-only',
      ...(signal ? { signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
    if (!r.ok) return fail(r.message);
    if (r.value.hasChanges) {
      const s = await show(deps.terraform, dir, refreshFile, signal);
      if (!s.ok) return fail(s.message);
      findings.infrastructure = lines(s.value.resource_drift, s.value.output_changes);
    }
    deps.progress(env, 'plan');
    const normalFile = join(scratch, 'plan.tfplan');
    const n = await plan(deps.terraform, dir, {
      out: normalFile,
      mode: 'normal',
      ...(signal ? { signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
    if (!n.ok) return fail(n.message);
    if (n.value.hasChanges) {
      const s = await show(deps.terraform, dir, normalFile, signal);
      if (!s.ok) return fail(s.message);
      findings.unapplied = lines(s.value.resource_changes, s.value.output_changes);
    }
    if (deps.compileCheck) {
      deps.progress(env, 'compile --check');
      findings.staleFiles = [...(await deps.compileCheck()).staleFiles].sort();
    }
    const drifted =
      findings.infrastructure.length + findings.unapplied.length + findings.staleFiles.length > 0;
    if (!drifted) {
      const open = await deps.store.getOpenIncident(env);
      let resolved: DriftIncident | undefined;
      if (open) {
        resolved = await deps.store.resolveIncident(open.id, { actor: deps.actor, now: deps.now() });
        if (resolved)
          await deps.notifier.notify({
            type: 'drift-resolved',
            env,
            actor: deps.actor,
            at: deps.now(),
            incidentId: open.id,
          });
      }
      deps.progress(env, 'no drift');
      return {
        env,
        status: 'ok',
        value: { env, drifted: false, ...findings, ...(resolved ? { resolvedIncidentId: resolved.id } : {}) },
      };
    }
    const fingerprint = driftFingerprint(findings);
    const up = await deps.store.openOrUpdateIncident({
      env,
      fingerprint,
      summary: { ...findings },
      now: deps.now(),
    });
    await deps.notifier.notify({
      type: 'drift-found',
      env,
      actor: deps.actor,
      at: deps.now(),
      incidentId: up.incident.id,
      fingerprint,
      isNew: up.isNew,
      changed: up.changed,
      ...findings,
    });
    deps.progress(env, 'drift found');
    return {
      env,
      status: 'ok',
      value: {
        env,
        drifted: true,
        ...findings,
        fingerprint,
        incident: {
          id: up.incident.id,
          isNew: up.isNew,
          changed: up.changed,
          occurrences: up.incident.occurrences,
        },
      },
    };
  } catch (err) {
    if (signal?.aborted) return failedOutcome(env, 'interrupted');
    return fail((err as Error).message);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
