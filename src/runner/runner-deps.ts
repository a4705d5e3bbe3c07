/**
 * The one place RunnerDeps are built, for the CLI (`cli/wiring.ts`) and for the bot
 * (`src/bot/runner-adapter.ts`): where the stacks, generated/ and `.envc/` are, terraform, the policies of
 * the spec, who may approve, where events go, which git revision plans record, lock and retention settings
 * from the environment. Front ends differ only in what they pass in.
 */

import { dirname, isAbsolute, join } from 'node:path';
import type { Model } from '../compiler/model.js';
import { planCoster } from '../cost/plan-coster.js';
import type { Store } from '../store/types.js';
import type { CompileCheck, RunnerDeps } from './context.js';
import { fanOut, type Notifier } from './events.js';
import { revisionResolver } from './git.js';
import { type IsApprover, loadGroupMap, localApprovers } from './identity.js';
import { policyFromModel, specless } from './policy.js';
import { DEFAULT_KEEP } from './retention.js';
import { withStateKeys } from './state-keys.js';
import { createTerraform, type Terraform } from './terraform.js';

export interface RunnerPaths {
  /** The directory of the spec: generated/ lives here, and its git repository's HEAD is the revision. */
  specDir: string;
  /** One terraform root per environment. */
  stacksDir: string;
  /** generated/ for the digest's Kubernetes/Helm part; undefined with --stacks and no --generated. */
  generatedDir?: string;
  /** `.envc/` of the working directory: saved plans, rollback trees. */
  workDir: string;
}

/** Paths from the spec and the `--stacks` / `--generated` choices (relative paths are taken from `cwd`). */
export function runnerPaths(o: {
  cwd: string;
  specPath: string;
  stacks?: string;
  generated?: string;
}): RunnerPaths {
  const abs = (p: string) => (isAbsolute(p) ? p : join(o.cwd, p));
  const specDir = dirname(abs(o.specPath));
  // With --stacks the generated tree beside the spec is not the one planned: leave it out of the digest.
  const generatedDir = o.generated ? abs(o.generated) : o.stacks ? undefined : join(specDir, 'generated');
  return {
    specDir,
    stacksDir: o.stacks ? abs(o.stacks) : join(specDir, 'generated', 'terraform', 'environments'),
    ...(generatedDir ? { generatedDir } : {}),
    workDir: join(o.cwd, '.envc'),
  };
}

export interface RunnerDepsOptions {
  store: Store;
  /** The process environment: ENVC_TERRAFORM, ENVC_LOCK_TTL, ENVC_APPROVAL_POLL_MS, ENVC_KEEP_PLANS,
   *  ENVC_GIT_COMMIT / GITHUB_SHA, and (CLI) the approver group map. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  paths: RunnerPaths;
  /** undefined: no spec (bare `--stacks`), see policy.ts `specless`. */
  model?: Model;
  actor: string;
  /**
   * Whether `actor` is among `approvers` (the environment's approver references from the spec). Default:
   * the local group map (ENVC_APPROVER_GROUPS / ENVC_APPROVERS_FILE); the bot resolves Slack user groups.
   */
  approverCheck?: (actor: string, approvers: readonly string[]) => Promise<boolean>;
  notifiers: Notifier[];
  onNotifierError: (name: string, err: Error) => void;
  /** Given when the caller already made one (the CLI checks its version while the spec loads). */
  terraform?: Terraform;
  /** false: `terraform init -backend=false`. */
  backend: boolean;
  /** How long to wait for the environment lock (0: refuse at once). */
  lockWaitMs: number;
  lockPollMs?: number;
  /** How long apply waits for approvals (0: exit "awaiting approval" at once). */
  approvalWaitMs: number;
  progress: RunnerDeps['progress'];
  output?: RunnerDeps['output'];
  approveHint?: RunnerDeps['approveHint'];
  /** `compile --check` of the spec against generated/ in drift runs (needs a model and a generated dir). */
  compileCheck?: (specPath: string, generatedDir: string) => Promise<CompileCheck>;
  specPath: string;
  signal?: AbortSignal;
}

/** A positive whole number from the environment, or the default; anything else is a clear error. */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
  return n;
}

export function createRunnerDeps(o: RunnerDepsOptions): RunnerDeps {
  const policy = o.model ? policyFromModel(o.model) : specless;
  const approversOf = (env: string) => policy(env)?.approvals.approvers;
  let isApprover: IsApprover;
  if (o.approverCheck) {
    const check = o.approverCheck;
    isApprover = (env, actor) => check(actor, approversOf(env) ?? []);
  } else isApprover = localApprovers(approversOf, loadGroupMap(o.env, o.cwd));
  const { paths } = o;
  const compileCheck = o.compileCheck;
  const generatedDir = paths.generatedDir;
  return {
    store: o.store,
    // Each environment's roots run with that environment's state key (docs/adr/0017).
    terraform: withStateKeys(o.terraform ?? createTerraform({ env: o.env }), paths.stacksDir, o.env),
    notifier: fanOut(o.notifiers, o.onNotifierError),
    policy,
    isApprover,
    now: () => new Date(),
    actor: o.actor,
    stacksDir: paths.stacksDir,
    ...(generatedDir ? { generatedDir } : {}),
    workDir: paths.workDir,
    // The spec's hash goes with each plan (apply refuses once it changed); no spec, nothing to compare.
    ...(o.model ? { specPath: isAbsolute(o.specPath) ? o.specPath : join(o.cwd, o.specPath) } : {}),
    retention: { keep: intFromEnv(o.env, 'ENVC_KEEP_PLANS', DEFAULT_KEEP) },
    revision: revisionResolver(paths.specDir, o.env),
    backend: o.backend,
    lock: {
      ttlSeconds: intFromEnv(o.env, 'ENVC_LOCK_TTL', 120),
      waitMs: o.lockWaitMs,
      pollMs: o.lockPollMs ?? 250,
    },
    approvalWait: { waitMs: o.approvalWaitMs, pollMs: intFromEnv(o.env, 'ENVC_APPROVAL_POLL_MS', 5000) },
    progress: o.progress,
    ...(o.output ? { output: o.output } : {}),
    ...(o.approveHint ? { approveHint: o.approveHint } : {}),
    ...(o.model && compileCheck && generatedDir
      ? { compileCheck: () => compileCheck(o.specPath, generatedDir) }
      : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.env.LINODE_TOKEN
      ? {
          lkeClusterId: async (label: string) => {
            const { linodeApiFromEnv } = await import('../integrations/linode.js');
            return (await (await linodeApiFromEnv(o.env)).findCluster(label))?.id;
          },
        }
      : {}),
    cost: planCoster({
      cwd: o.cwd,
      specPath: o.specPath,
      env: o.env,
      ...(o.model ? { model: o.model } : {}),
    }),
  };
}
