/**
 * An environment of two Terraform roots (docs/adr/0009): `cluster` then `platform`, described by the
 * generated `phases.json`. They are planned, digested, approved and applied as ONE change:
 * - plan: each root in order; a root whose inputs come from a root that has changes cannot be planned yet
 *   (its inputs do not exist), so it is "deferred" and its configuration hash goes into the digest instead;
 * - apply: the saved plans in order; a deferred root is planned right after the root before it and applied
 *   only if that plan destroys or replaces nothing (the approval covered its configuration, not a plan).
 * Inputs are TF_VAR_<name> set from `terraform output -json <output>` of the root named in phases.json (same
 * environment, same state key), or from the Linode API (another environment's cluster id, by label): no root
 * reads another's state, and every value passed on is scanned for credentials first (input-scan.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerDeps } from './context.js';
import { generatedHashes, hashTree, planDigest } from './digest.js';
import { credentialsIn } from './input-scan.js';
import { backendConfigOf } from './stacks.js';
import { apply as tfApply } from './steps/apply.js';
import { init } from './steps/init.js';
import { plan as tfPlan } from './steps/plan.js';
import { type PlanJson, show } from './steps/show.js';
import { actionOf } from './summary.js';

/**
 * An output of a root of the same environment (`output`), or another environment's LKE cluster found by its
 * label in the Linode API (`lkeCluster`): no state of another environment is ever read (docs/adr/0017).
 */
export type PhaseInput =
  | { environment: string; phase: string; output: string }
  | { environment: string; phase: string; lkeCluster: string };

export interface PhaseSpec {
  name: string;
  dir: string;
  inputs: Record<string, PhaseInput>;
}

/** What a phased plan stores (summary.phases) so apply can verify and run it. */
export interface PhaseRecord {
  name: string;
  workdir: string;
  /** Saved plan file; null when deferred. */
  plan: string | null;
  deferred: boolean;
  hasChanges: boolean;
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

export async function readPhases(envDir: string): Promise<PhaseSpec[] | undefined> {
  const file = join(envDir, 'phases.json');
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { phases?: PhaseSpec[] };
  return parsed.phases;
}

/** The directory of a root: `<stacksDir>/<env>/<phase dir>`. */
function rootDir(stacksDir: string, env: string, phase: string): string {
  return join(stacksDir, env, phase);
}

/** TF_VAR_<name> for each input, from the outputs of the roots it names (initialised here). */
export async function inputsEnv(
  deps: RunnerDeps,
  inputs: Record<string, PhaseInput>,
): Promise<Result<Record<string, string>>> {
  const out: Record<string, string> = {};
  const ready = new Set<string>();
  for (const [name, src] of Object.entries(inputs)) {
    if ('lkeCluster' in src) {
      const id = deps.lkeClusterId ? await deps.lkeClusterId(src.lkeCluster) : undefined;
      if (id === undefined)
        return {
          ok: false,
          message: deps.lkeClusterId
            ? `no LKE cluster labelled "${src.lkeCluster}" (input ${name}): apply ${src.environment} first (envc apply --env ${src.environment})`
            : `input ${name} is the id of the LKE cluster "${src.lkeCluster}", looked up in the Linode API: set LINODE_TOKEN`,
        };
      out[`TF_VAR_${name}`] = JSON.stringify({ cluster_id: id });
      continue;
    }
    const dir = rootDir(deps.stacksDir, src.environment, src.phase);
    if (!ready.has(dir)) {
      const i = await init(deps.terraform, dir, {
        backend: deps.backend,
        backendConfig: backendConfigOf(dir),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      if (!i.ok) return { ok: false, message: i.message };
      ready.add(dir);
    }
    const r = await deps.terraform.run(['output', '-json', '-no-color', src.output], {
      cwd: dir,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (r.exitCode !== 0)
      return {
        ok: false,
        message: `the ${src.phase} root of ${src.environment} has no output "${src.output}" yet (input ${name}): apply ${src.environment} first (envc apply --env ${src.environment})`,
      };
    const found = credentialsIn(JSON.parse(r.stdout.trim() || 'null'));
    if (found.length > 0)
      return {
        ok: false,
        message: `the ${src.phase} root of ${src.environment} output "${src.output}" (input ${name}) looks like it carries a credential at ${found.join(', ')}: envc passes only credential-free outputs between roots — publish ids and endpoints, and read credentials at run time`,
      };
    out[`TF_VAR_${name}`] = r.stdout.trim();
  }
  return { ok: true, value: out };
}

/** Merges the roots' plans into one PlanJson (addresses do not collide: each root has its own modules). */
export function mergePlans(plans: Array<{ name: string; plan: PlanJson }>): PlanJson {
  const merged: PlanJson = { resource_changes: [], output_changes: {} };
  for (const { name, plan } of plans) {
    merged.resource_changes!.push(...(plan.resource_changes ?? []));
    for (const [k, v] of Object.entries(plan.output_changes ?? {}))
      merged.output_changes![`${name}.${k}`] = v;
    merged.format_version ??= plan.format_version;
    merged.terraform_version ??= plan.terraform_version;
  }
  return merged;
}

/** What the digest covers besides the merged changes: planned roots, and each deferred root's configuration. */
export async function phasesDigestPart(records: PhaseRecord[]): Promise<unknown> {
  const out: unknown[] = [];
  for (const r of records)
    out.push(r.deferred ? { name: r.name, deferred: await hashTree(r.workdir) } : { name: r.name });
  return out;
}

async function planOne(
  deps: RunnerDeps,
  env: string,
  dir: string,
  phase: PhaseSpec,
  out: string,
  mode: 'normal' | 'destroy',
): Promise<Result<{ plan: PlanJson; hasChanges: boolean }>> {
  const onLine = deps.output ? (line: string) => deps.output!(env, `[${phase.name}] ${line}`) : undefined;
  const signal = deps.signal;
  deps.progress(env, `init ${phase.name}`);
  const i = await init(deps.terraform, dir, {
    backend: deps.backend,
    backendConfig: backendConfigOf(dir),
    ...(signal ? { signal } : {}),
    ...(onLine ? { onLine } : {}),
  });
  if (!i.ok) return { ok: false, message: i.message };
  const vars = await inputsEnv(deps, phase.inputs);
  if (!vars.ok) return vars;
  deps.progress(env, `planning ${phase.name}`);
  const p = await tfPlan(deps.terraform, dir, {
    out,
    mode,
    env: vars.value,
    ...(signal ? { signal } : {}),
    ...(onLine ? { onLine } : {}),
  });
  if (!p.ok) return { ok: false, message: p.message };
  const s = await show(deps.terraform, dir, out, signal);
  if (!s.ok) return { ok: false, message: s.message };
  return { ok: true, value: { plan: s.value, hasChanges: p.value.hasChanges } };
}

/** Plans every root of a phased environment into `planDir`. */
export async function planPhases(
  deps: RunnerDeps,
  env: string,
  envDir: string,
  phases: PhaseSpec[],
  planDir: string,
  kind: 'plan' | 'destroy' | string,
): Promise<Result<{ plan: PlanJson; records: PhaseRecord[] }>> {
  await mkdir(planDir, { recursive: true });
  const destroy = kind === 'destroy';
  // A destroy removes what runs in the cluster before the cluster.
  const ordered = destroy ? [...phases].reverse() : phases;
  const records: PhaseRecord[] = [];
  const plans: Array<{ name: string; plan: PlanJson }> = [];
  let waiting = false;
  for (const phase of ordered) {
    const workdir = join(envDir, phase.dir);
    if (waiting && !destroy) {
      records.push({ name: phase.name, workdir, plan: null, deferred: true, hasChanges: true });
      continue;
    }
    const file = join(planDir, `${phase.name}.tfplan`);
    const r = await planOne(deps, env, workdir, phase, file, destroy ? 'destroy' : 'normal');
    if (!r.ok) return { ok: false, message: `${phase.name} root: ${r.message}` };
    plans.push({ name: phase.name, plan: r.value.plan });
    records.push({ name: phase.name, workdir, plan: file, deferred: false, hasChanges: r.value.hasChanges });
    if (r.value.hasChanges) waiting = true;
  }
  return { ok: true, value: { plan: mergePlans(plans), records } };
}

/** Re-reads the saved plans of a phased plan (apply's digest check). */
export async function showPhases(deps: RunnerDeps, records: PhaseRecord[]): Promise<Result<PlanJson>> {
  const plans: Array<{ name: string; plan: PlanJson }> = [];
  for (const r of records) {
    if (r.deferred || !r.plan) continue;
    const s = await show(deps.terraform, r.workdir, r.plan, deps.signal);
    if (!s.ok) return { ok: false, message: s.message };
    plans.push({ name: r.name, plan: s.value });
  }
  return { ok: true, value: mergePlans(plans) };
}

/** Applies the roots in order; a deferred root is planned now and applied only when it destroys nothing. */
export async function applyPhases(
  deps: RunnerDeps,
  env: string,
  envDir: string,
  records: PhaseRecord[],
  planDir: string,
): Promise<{ ok: true; value: undefined; durationMs: number } | { ok: false; message: string }> {
  const started = Date.now();
  const phases = (await readPhases(envDir)) ?? [];
  const onLine = deps.output ? (line: string) => deps.output!(env, line) : undefined;
  for (const r of records) {
    let planFile = r.plan;
    if (r.deferred) {
      const phase = phases.find((p) => p.name === r.name);
      if (!phase) return { ok: false, message: `phases.json has no root "${r.name}" any more` };
      planFile = join(planDir, `${r.name}.deferred.tfplan`);
      const p = await planOne(deps, env, r.workdir, phase, planFile, 'normal');
      if (!p.ok) return { ok: false, message: `${r.name} root: ${p.message}` };
      const unsafe = (p.value.plan.resource_changes ?? []).filter((rc) => {
        const a = actionOf(rc.change?.actions ?? []);
        return a === 'delete' || a === 'replace';
      });
      if (unsafe.length > 0)
        return {
          ok: false,
          message: `the ${r.name} root, planned after the roots before it, would destroy or replace ${unsafe.map((u) => u.address).join(', ')}: that was not part of the approved change; run envc plan --env ${env} and approve the new digest`,
        };
      if (!p.value.hasChanges) continue;
    } else if (!r.hasChanges) continue;
    deps.progress(env, `applying ${r.name}`);
    const a = await tfApply(deps.terraform, r.workdir, planFile!, {
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
    if (!a.ok) return { ok: false, message: `${r.name} root: ${a.message}` };
  }
  return { ok: true, value: undefined, durationMs: Date.now() - started };
}

/** The digest of a saved plan as apply re-checks it: one root's plan, or the roots' plans merged. */
export async function savedPlanDigest(
  deps: RunnerDeps,
  env: string,
  summary: { workdir: string; generatedDir: string | null; phases?: PhaseRecord[] },
  planPath: string,
): Promise<Result<string>> {
  const shown = summary.phases
    ? await showPhases(deps, summary.phases)
    : await show(deps.terraform, summary.workdir, planPath, deps.signal);
  if (!shown.ok) return { ok: false, message: shown.message };
  const generated = await generatedHashes(summary.generatedDir ?? undefined, env);
  const part = summary.phases ? await phasesDigestPart(summary.phases) : undefined;
  return { ok: true, value: planDigest(env, shown.value, generated, part) };
}
