/**
 * rollback --to <git-ref>: what the environment looked like at that ref, compiled into a temporary tree,
 * planned against the *current* state, and applied through the same approval gate as any plan.
 * Spec mode compiles `environments.yaml` at the ref; stacks mode (`--stacks`) takes the stack directory at
 * the ref as it was committed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { GeneratedFile } from '../compiler/emitters/types.js';
import { type AppliedEnv, applyEnv } from './apply.js';
import { Codes, failedOutcome, type Outcome, type RunnerDeps, refused } from './context.js';
import { gitTopLevel, listFiles, resolveCommit, showFile } from './git.js';
import { type PlannedEnv, planEnv } from './plan.js';
import { backendConfigOf } from './stacks.js';
import { init } from './steps/init.js';

export type RollbackSource =
  | {
      kind: 'spec';
      specPath: string;
      compile: (text: string, file: string) => Promise<{ files: GeneratedFile[]; errors: string[] }>;
    }
  | { kind: 'stacks' };

export interface RollbackResult {
  commit: string;
  plan: PlannedEnv;
  applied?: AppliedEnv;
}

type Fail = Exclude<Outcome<RollbackResult>, { status: 'ok' }>;

export async function rollbackEnv(
  deps: RunnerDeps,
  env: string,
  o: { ref: string; source: RollbackSource; planOnly?: boolean },
): Promise<Outcome<RollbackResult>> {
  const anchor = o.source.kind === 'spec' ? dirname(o.source.specPath) : deps.stacksDir;
  const repo = await gitTopLevel(anchor);
  if (!repo)
    return refused(
      env,
      Codes.gitRef,
      `${anchor} is not inside a git repository; rollback reads history from git`,
    );
  const commit = await resolveCommit(repo, o.ref);
  if (!commit)
    return refused(
      env,
      Codes.gitRef,
      `"${o.ref}" is not a commit in ${repo}`,
      'give a branch, tag or commit (git log shows them)',
    );
  const tree = join(
    deps.workDir,
    'rollback',
    `${env}-${commit.slice(0, 12)}-${randomBytes(3).toString('hex')}`,
  );
  deps.progress(env, `building ${o.ref} (${commit.slice(0, 12)})`);

  let stackDir: string;
  let generatedDir: string | undefined;
  if (o.source.kind === 'spec') {
    const specRel = relative(repo, o.source.specPath);
    const text = await showFile(repo, commit, specRel);
    if (text === undefined) return refused(env, Codes.gitRef, `${specRel} does not exist at ${o.ref}`);
    const compiled = await o.source.compile(text, `${specRel}@${o.ref}`);
    if (compiled.errors.length)
      return refused(
        env,
        Codes.gitRef,
        `${specRel} at ${o.ref} does not compile: ${compiled.errors.join('; ')}`,
      );
    generatedDir = join(tree, 'generated');
    for (const f of compiled.files) await writeIn(generatedDir, f.path, f.content);
    stackDir = join(generatedDir, 'terraform', 'environments', env);
  } else {
    const rel = relative(repo, join(deps.stacksDir, env));
    if (rel.startsWith('..') || isAbsolute(rel))
      return refused(env, Codes.gitRef, `${deps.stacksDir} is outside the git repository ${repo}`);
    const files = await listFiles(repo, commit, rel);
    for (const f of files) {
      const content = await showFile(repo, commit, f);
      if (content !== undefined) await writeIn(join(tree, env), relative(rel, f), content);
    }
    stackDir = join(tree, env);
  }
  if (!existsSync(stackDir)) return refused(env, Codes.gitRef, `${env} did not exist at ${o.ref}`);

  const backendConfig = await liveBackend(deps, env);
  if ('status' in backendConfig) return backendConfig;
  const planned = await planEnv(deps, env, {
    kind: 'rollback',
    stackDir,
    backendConfig: backendConfig.values,
    ...(generatedDir ? { generatedDir } : {}),
    extra: { ref: o.ref, commit },
    // ArgoCD follows the rollback: after the apply it syncs to the commit rolled back to.
    revision: commit,
  });
  if (planned.status !== 'ok') return planned as Fail;
  if (o.planOnly) return { env, status: 'ok', value: { commit, plan: planned.value } };
  const applied = await applyEnv(deps, env, { digest: planned.value.digest });
  if (applied.status !== 'ok') return applied as Fail;
  return { env, status: 'ok', value: { commit, plan: planned.value, applied: applied.value } };
}

async function writeIn(root: string, rel: string, content: string): Promise<void> {
  const path = resolve(root, rel);
  if (relative(root, path).startsWith('..')) throw new Error(`refusing to write ${rel} outside ${root}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/**
 * The backend of the live stack, so the old configuration is planned against the current state. A local
 * backend's path is made absolute (the old tree lives elsewhere); other backends reuse the live backend.hcl.
 */
async function liveBackend(deps: RunnerDeps, env: string): Promise<{ values: string[] } | Fail> {
  const live = join(deps.stacksDir, env);
  if (!deps.backend) return { values: [] };
  const i = await init(deps.terraform, live, {
    backend: true,
    backendConfig: backendConfigOf(live),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!i.ok) return failedOutcome(env, i.message) as Fail;
  let cfg: { backend?: { type?: string; config?: Record<string, unknown> } } = {};
  try {
    cfg = JSON.parse(await readFile(join(live, '.terraform', 'terraform.tfstate'), 'utf8'));
  } catch {
    // no backend recorded: terraform's implicit local backend
  }
  const type = cfg.backend?.type ?? 'local';
  if (type === 'local') {
    const p = (cfg.backend?.config?.path as string | undefined) ?? 'terraform.tfstate';
    return { values: [`path=${isAbsolute(p) ? p : join(live, p)}`] };
  }
  return { values: backendConfigOf(live).map((f) => join(live, f)) };
}
