/**
 * "Apply only the latest, matching plan": what a plan was made from (its inputs), recorded with the plan and
 * checked again just before the apply. A plan is refused when anything it was made from moved since: a newer
 * plan attempt failed (the latest intent is broken, so the older plan is not what people want now), the
 * terraform root or the compiled tree or the spec changed, the plan came from another stack directory, or the
 * git revision moved. Each refusal has its own code and says what to run next.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { PlanRecord } from '../store/types.js';
import { Codes, type RunnerDeps } from './context.js';
import type { StoredSummary } from './plan.js';

/** What a plan was made from, as hashes (kept in the plan's stored summary under `inputs`). */
export interface PlanInputs {
  /** The terraform root's own configuration files (*.tf, *.tf.json, *.tfvars*, backend.hcl). */
  stack: string;
  /** generated/manifest.json (it hashes every generated file, the spec's digest and envc's version). */
  generated?: string;
  /** The spec file. */
  spec?: string;
}

/** Audit actions of plan attempts (the newest one tells whether the latest intent planned at all). */
export const PLAN_ATTEMPT = { ok: 'plan.attempt.ok', failed: 'plan.attempt.failed', prefix: 'plan.attempt.' };

/** Codes whose refusals exit with ExitCode.StalePlan. */
export const STALE_PLAN_CODES: ReadonlySet<string> = new Set([
  Codes.newerPlanFailed,
  Codes.inputsChanged,
  Codes.otherStackDir,
  Codes.revisionMoved,
]);

const CONFIG_FILE = /(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json|^backend\.hcl)$/;

async function sha256File(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** One hash of a terraform root's configuration files (top level: modules come with the generated tree). */
export async function stackHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && CONFIG_FILE.test(d.name))
    .map((d) => d.name)
    .sort();
  for (const n of names)
    h.update(`${n}\0`)
      .update(await readFile(join(dir, n)))
      .update('\0');
  return h.digest('hex');
}

export async function planInputs(
  deps: Pick<RunnerDeps, 'specPath'>,
  stackDir: string,
  generatedDir: string | undefined,
): Promise<PlanInputs> {
  const generated = generatedDir ? await sha256File(join(generatedDir, 'manifest.json')) : undefined;
  const spec = deps.specPath ? await sha256File(deps.specPath) : undefined;
  return {
    stack: await stackHash(stackDir),
    ...(generated ? { generated } : {}),
    ...(spec ? { spec } : {}),
  };
}

export type Staleness = { code: string; message: string; next: string } | undefined;

/** Undefined when the plan still matches what it was made from; else the refusal. */
export async function staleness(deps: RunnerDeps, env: string, record: PlanRecord): Promise<Staleness> {
  const summary = record.summary as unknown as StoredSummary;
  const short = record.digest.slice(0, 12);
  const replan = `envc plan --env ${env}, then envc apply --env ${env}`;
  const [attempt] = await deps.store.listAudit({ env, action: PLAN_ATTEMPT.prefix, limit: 1 });
  if (attempt?.action === PLAN_ATTEMPT.failed)
    return {
      code: Codes.newerPlanFailed,
      message: `the newest plan attempt of ${env} (at ${attempt.at.toISOString()} by ${attempt.actor}) failed; plan ${short} is older than what was last intended`,
      next: `fix what made the plan fail, then ${replan}`,
    };
  // Rollback plans are made from an old tree on purpose: they are held to that tree, not to the current one.
  const rollback = summary.kind === 'rollback';
  const expected = resolve(deps.stacksDir, env);
  if (!rollback && typeof summary.workdir === 'string' && resolve(summary.workdir) !== expected)
    return {
      code: Codes.otherStackDir,
      message: `plan ${short} of ${env} was made from ${summary.workdir}, not from ${expected}`,
      next: `envc apply --env ${env} --stacks ${relative(process.cwd(), resolve(summary.workdir, '..')) || '.'}, or ${replan}`,
    };
  const recorded = summary.inputs as PlanInputs | undefined;
  if (recorded) {
    const now = await planInputs(
      rollback ? {} : deps,
      summary.workdir,
      rollback ? undefined : (summary.generatedDir ?? undefined),
    );
    // A rollback is held to its own (old) tree only: today's spec and generated/ are what it rolls back from.
    const keys = rollback ? (['stack'] as const) : (['stack', 'generated', 'spec'] as const);
    const changed = keys.filter((k) => recorded[k] !== undefined && recorded[k] !== now[k]);
    if (changed.length > 0) {
      const what = {
        stack: 'the terraform root',
        generated: 'the compiled tree (generated/)',
        spec: 'the spec',
      };
      return {
        code: Codes.inputsChanged,
        message: `${changed.map((k) => what[k]).join(', ')} of ${env} changed since plan ${short} was made`,
        next: replan,
      };
    }
  }
  if (!rollback && record.revision && deps.revision) {
    const current = await deps.revision();
    if (current && current !== record.revision)
      return {
        code: Codes.revisionMoved,
        message: `plan ${short} of ${env} was made at revision ${record.revision.slice(0, 12)}; the checkout is now at ${current.slice(0, 12)}`,
        next: replan,
      };
  }
  return undefined;
}

/** "plan 1a2b3c4d5e6f (revision 9e8d7c6b5a4f, stacks/development, made 3m ago)": what is about to be applied. */
export function describePlan(record: PlanRecord, now: Date): string {
  const summary = record.summary as unknown as StoredSummary;
  const ageS = Math.max(0, Math.round((now.getTime() - record.createdAt.getTime()) / 1000));
  const age =
    ageS < 90 ? `${ageS}s` : ageS < 5400 ? `${Math.round(ageS / 60)}m` : `${Math.round(ageS / 3600)}h`;
  const dir = relative(process.cwd(), summary.workdir) || summary.workdir;
  return `plan ${record.digest.slice(0, 12)} (revision ${record.revision ? record.revision.slice(0, 12) : 'unknown'}, ${dir}, made ${age} ago by ${record.createdBy})`;
}
