/** plan one environment: init → plan -out → show -json → summary + digest → store + plan-ready event. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { PlanCost } from '../cost/plan-cost.js';
import type { PlanRecord } from '../store/types.js';
import { failedOutcome, type Outcome, type RunnerDeps } from './context.js';
import { generatedHashes, planDigest } from './digest.js';
import type { PlanKind } from './events.js';
import { PLAN_ATTEMPT, planInputs } from './freshness.js';
import { type PhaseRecord, phasesDigestPart, planPhases, readPhases } from './phases.js';
import { backendConfigOf } from './stacks.js';
import { init } from './steps/init.js';
import { plan as tfPlan } from './steps/plan.js';
import { type PlanJson, show } from './steps/show.js';
import { type PlanSummary, summarizePlan } from './summary.js';

export interface PlannedEnv {
  env: string;
  digest: string;
  kind: PlanKind;
  summary: PlanSummary;
  /** Monthly cost delta of the plan (undefined: no price catalogue). */
  cost?: PlanCost;
  planPath: string;
  /** The terraform root the plan belongs to (apply runs there). */
  workdir: string;
  /** The git commit recorded with the plan (undefined: unknown). */
  revision?: string;
  record: PlanRecord;
}

export interface PlanOptions {
  kind?: PlanKind;
  /** Plan another root than `<stacksDir>/<env>` (rollback trees). */
  stackDir?: string;
  /** `-backend-config` values overriding the stack's backend.hcl (rollback: the live state). */
  backendConfig?: string[];
  generatedDir?: string;
  /** Extra fields kept with the plan record (rollback: the git ref). */
  extra?: Record<string, unknown>;
  /** The commit this plan is made from, instead of `deps.revision()` (rollback: the target commit). */
  revision?: string;
}

/** Stored plan summary: what apply needs to find and re-check the plan, plus what people review. */
export interface StoredSummary extends PlanSummary {
  kind: PlanKind;
  workdir: string;
  generatedDir: string | null;
  /** Two roots planned as one change (phases.ts). */
  phases?: PhaseRecord[];
  [k: string]: unknown;
}

export async function planEnv(
  deps: RunnerDeps,
  env: string,
  o: PlanOptions = {},
): Promise<Outcome<PlannedEnv>> {
  const kind = o.kind ?? 'plan';
  const dir = o.stackDir ?? join(deps.stacksDir, env);
  const signal = deps.signal;
  const fail = async (message: string) => {
    // The newest attempt failed: apply refuses older plans of this environment until one succeeds.
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: PLAN_ATTEMPT.failed,
      details: { kind, message: message.slice(0, 500) },
    });
    await deps.notifier.notify({
      type: 'failed',
      env,
      actor: deps.actor,
      at: deps.now(),
      stage: kind === 'destroy' ? 'destroy' : 'plan',
      message,
    });
    return failedOutcome<PlannedEnv>(env, message);
  };
  // Interrupted (Ctrl-C during `plan --all`): start nothing new — no init for the environments still queued.
  if (signal?.aborted) return failedOutcome(env, 'interrupted before it started');
  try {
    const plansDir = join(deps.workDir, 'plans', env);
    await mkdir(plansDir, { recursive: true });
    const tmp = join(plansDir, `.${randomBytes(6).toString('hex')}`);
    // Two roots (cluster, platform) planned as one change, or a single root.
    const phases = await readPhases(dir);
    let planJson: PlanJson;
    let records: PhaseRecord[] | undefined;
    if (phases) {
      const r = await planPhases(deps, env, dir, phases, tmp, kind);
      if (!r.ok) return fail(r.message);
      planJson = r.value.plan;
      records = r.value.records;
    } else {
      const r = await planSingle(deps, env, dir, o, `${tmp}.tfplan`, kind);
      if (!r.ok) return fail(r.message);
      planJson = r.value;
    }

    deps.progress(env, 'summarizing');
    const summary = summarizePlan(planJson);
    const cost = deps.cost?.(env, planJson);
    const generatedDir = o.generatedDir ?? deps.generatedDir;
    const digest = planDigest(
      env,
      planJson,
      await generatedHashes(generatedDir, env),
      records ? await phasesDigestPart(records) : undefined,
    );
    const planPath = join(plansDir, records ? digest : `${digest}.tfplan`);
    if (records) {
      await rm(planPath, { recursive: true, force: true });
      await rename(tmp, planPath);
      for (const r of records) if (r.plan) r.plan = join(planPath, basename(r.plan));
    } else await rename(`${tmp}.tfplan`, planPath);

    const stored: StoredSummary = {
      ...summary,
      ...(cost ? { cost } : {}),
      ...(o.extra ?? {}),
      kind,
      workdir: resolve(dir),
      generatedDir: generatedDir ?? null,
      ...(records ? { phases: records } : {}),
      inputs: await planInputs(deps, dir, generatedDir),
    };
    const revision = o.revision ?? (await deps.revision?.());
    const record = await deps.store.recordPlan({
      env,
      digest,
      summary: stored,
      planPath,
      createdBy: deps.actor,
      createdAt: deps.now(),
      ...(revision ? { revision } : {}),
    });
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: PLAN_ATTEMPT.ok,
      details: { kind, digest },
    });
    await deps.notifier.notify({
      type: 'plan-ready',
      env,
      actor: deps.actor,
      at: deps.now(),
      digest,
      counts: summary.counts,
      hasChanges: summary.hasChanges,
      protectedDestroys: summary.protectedDestroys,
      kind,
      summary: stored,
      ...(revision ? { revision } : {}),
    });
    deps.progress(env, summary.hasChanges ? `planned ${digest.slice(0, 12)}` : 'no changes');
    return {
      env,
      status: 'ok',
      value: {
        env,
        digest,
        kind,
        summary,
        ...(cost ? { cost } : {}),
        planPath,
        workdir: dir,
        record,
        ...(revision ? { revision } : {}),
      },
    };
  } catch (err) {
    if (signal?.aborted) return failedOutcome(env, 'interrupted');
    return fail((err as Error).message);
  }
}

/** init → plan -out → show of a single root. */
async function planSingle(
  deps: RunnerDeps,
  env: string,
  dir: string,
  o: PlanOptions,
  out: string,
  kind: PlanKind,
): Promise<{ ok: true; value: PlanJson } | { ok: false; message: string }> {
  const onLine = deps.output ? (line: string) => deps.output!(env, line) : undefined;
  const signal = deps.signal;
  deps.progress(env, 'init');
  const i = await init(deps.terraform, dir, {
    backend: deps.backend,
    backendConfig: o.backendConfig ?? backendConfigOf(dir),
    ...(signal ? { signal } : {}),
    ...(onLine ? { onLine } : {}),
  });
  if (!i.ok) return i;
  if (signal?.aborted) return { ok: false, message: 'interrupted after init; nothing planned' };
  deps.progress(env, kind === 'destroy' ? 'planning destroy' : 'planning');
  const p = await tfPlan(deps.terraform, dir, {
    out,
    mode: kind === 'destroy' ? 'destroy' : 'normal',
    ...(signal ? { signal } : {}),
    ...(onLine ? { onLine } : {}),
  });
  if (!p.ok) return p;
  const s = await show(deps.terraform, dir, out, signal);
  return s.ok ? { ok: true, value: s.value } : s;
}

/** Reads back what planEnv stored. */
export function storedSummary(record: PlanRecord): StoredSummary {
  return record.summary as unknown as StoredSummary;
}
