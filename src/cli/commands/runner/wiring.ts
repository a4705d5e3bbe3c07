import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../../../compiler/model.js';
import type { OidcIdentity } from '../../../integrations/github-oidc.js';
import type { CompileCheck, RunnerDeps } from '../../../runner/context.js';
import { auditNotifier, type Notifier, terminalNotifier } from '../../../runner/events.js';
import { createRunnerDeps, runnerPaths } from '../../../runner/runner-deps.js';
import { discoverStacks, selectEnvs } from '../../../runner/stacks.js';
import { createTerraform } from '../../../runner/terraform.js';
import type { Store } from '../../../store/types.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { type CliIdentity, resolveCliIdentity } from './cli-identity.js';
import { envNames, parallelOf, parseDurationMs, pathFlag } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { loadSpecModel } from './spec.js';

export interface CliRunner {
  deps: RunnerDeps;
  model?: Model;
  specPath: string;
  available: string[];
  /** The verified CI identity (GitHub Actions OIDC), when there is one: only then may the CLI approve. */
  verified?: OidcIdentity;
  progress: Progress;
  parallel: number;
  close(): Promise<void>;
}

export type Opened = { ok: true; runner: CliRunner } | { ok: false; result: CommandResult };

export interface OpenOptions {
  /** Skip the terraform version check (approvals, lock: no terraform needed). */
  noTerraform?: boolean;
  /** Checks the command line against the stacks found, before anything slow is opened (usage errors fail fast). */
  preflight?: (
    available: string[],
    stacksDir: string,
  ) => CommandResult | undefined | Promise<CommandResult | undefined>;
}

export async function openCliRunner(ctx: CommandContext, o: OpenOptions = {}): Promise<Opened> {
  // Usage errors before anything is opened.
  const lockWaitMs =
    typeof ctx.flags['lock-wait'] === 'string' ? parseDurationMs(ctx.flags['lock-wait'], 'lock-wait') : 0;
  const approvalWaitMs = typeof ctx.flags.wait === 'string' ? parseDurationMs(ctx.flags.wait, 'wait') : 0;
  const paths = runnerPaths({
    cwd: ctx.cwd,
    specPath: pathFlag(ctx, 'spec') ?? join(ctx.cwd, 'environments.yaml'),
    ...optional('stacks', pathFlag(ctx, 'stacks')),
    ...optional('generated', pathFlag(ctx, 'generated')),
  });
  const stacksDir = paths.stacksDir;
  const available = await discoverStacks(stacksDir);
  const early = await o.preflight?.(available, stacksDir);
  if (early) return { ok: false, result: early };

  // The store opens while the spec loads and terraform works (PostgreSQL connects over the network; an
  // optional PGlite store takes seconds to start): store calls wait for it.
  const [{ openStore }, { lazyStore }] = await Promise.all([
    import('../../../store/index.js'),
    import('../../../store/lazy.js'),
  ]);
  const where = ctx.env.ENVC_STORE ?? '.envc/state';
  const opening = openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd }).catch((err: Error) => {
    throw new Error(`cannot open the store (${where}): ${err.message}`);
  });
  const store: Store = lazyStore(opening, /^postgres(ql)?:/.test(where) ? 'postgres' : 'sqlite');
  const abandon = async (result: CommandResult): Promise<Opened> => {
    await opening.then((st) => st.close()).catch(() => {});
    return { ok: false, result };
  };
  const terraform = createTerraform({ env: ctx.env });
  const version = o.noTerraform ? Promise.resolve('') : terraform.version();
  version.catch(() => {});
  const spec = await loadSpecModel(ctx);
  if (!spec.ok) return abandon(spec.result);
  const { model, specPath } = spec;
  try {
    await version;
  } catch (err) {
    return abandon({ exitCode: ExitCode.Internal, stderr: `envc: ${(err as Error).message}\n` });
  }
  const progress = createProgress({ isTTY: ctx.isTTY, emit: ctx.progress, style: ctx.errStyle });
  const notifiers: Notifier[] = [terminalNotifier((l) => progress.log(l)), auditNotifier(store)];
  if (ctx.env.SLACK_BOT_TOKEN && model) {
    const { slackNotifierFromEnv } = await import('../../../bot/notifier.js');
    const slack = await slackNotifierFromEnv({ env: ctx.env, store, model, sink: (l) => progress.log(l) });
    if (slack) notifiers.push(slack);
  }
  let identity: CliIdentity;
  try {
    identity = await resolveCliIdentity(ctx.flags, ctx.env, ctx.cwd);
  } catch (err) {
    identity = { ok: false, message: (err as Error).message };
  }
  if (!identity.ok) {
    progress.done();
    return abandon({
      exitCode: identity.usage ? ExitCode.Usage : ExitCode.Findings,
      stderr: `envc: ${identity.message}
`,
    });
  }
  let deps: RunnerDeps;
  try {
    deps = createRunnerDeps({
      store,
      env: ctx.env,
      cwd: ctx.cwd,
      paths,
      specPath,
      ...(model ? { model } : {}),
      actor: identity.actor,
      notifiers,
      onNotifierError: (name, err) =>
        progress.log(ctx.errStyle.yellow(`warning: ${name} notifier failed: ${err.message}`)),
      terraform,
      backend: ctx.flags['no-backend'] !== true,
      lockWaitMs,
      approvalWaitMs,
      progress: (env, status) => progress.update(env, status),
      ...(ctx.flags.verbose === true
        ? { output: (env: string, line: string) => progress.log(`${env} │ ${line}`) }
        : {}),
      compileCheck,
      signal: ctx.signal,
    });
  } catch (err) {
    // Settings from the environment (ENVC_KEEP_PLANS, ENVC_APPROVER_GROUPS, …) that make no sense.
    progress.done();
    return abandon({ exitCode: ExitCode.Usage, stderr: `envc: ${(err as Error).message}\n` });
  }
  return {
    ok: true,
    runner: {
      deps,
      ...(model ? { model } : {}),
      specPath,
      available,
      progress,
      ...(identity.verified ? { verified: identity.verified } : {}),
      parallel: parallelOf(ctx, availableParallelism()),
      close: async () => {
        progress.done();
        await opening.then(
          (st) => st.close(),
          () => {},
        );
      },
    },
  };
}

/** Opens the runner, runs `body` with it and closes it, whatever happens; a refusal to open is the result. */
export async function withRunner(
  ctx: CommandContext,
  o: OpenOptions,
  body: (r: CliRunner) => Promise<CommandResult>,
): Promise<CommandResult> {
  const opened = await openCliRunner(ctx, o);
  if (!opened.ok) return opened.result;
  try {
    return await body(opened.runner);
  } finally {
    await opened.runner.close();
  }
}

/** `withRunner` for the environments `--env` / `--all` name, checked against the stacks before anything opens. */
export async function withSelectedEnvs(
  ctx: CommandContext,
  command: string,
  body: (r: CliRunner, envs: string[]) => Promise<CommandResult>,
): Promise<CommandResult> {
  let envs: string[] = [];
  const preflight = async (available: string[], stacksDir: string) => {
    const sel = selectEnvs(available, { envs: envNames(ctx), all: ctx.flags.all === true }, stacksDir);
    if (!sel.ok) return { exitCode: ExitCode.Usage, stderr: `envc ${command}: ${sel.message}\n` };
    envs = sel.envs;
    return notReady(
      ctx,
      command,
      envs.map((e) => join(stacksDir, e)),
    );
  };
  return withRunner(ctx, { preflight }, (r) => body(r, envs));
}

/** Preflight of a command on one environment: that environment must have a stack. */
export function stackOf(
  command: string,
  env: string,
  ctx?: CommandContext,
): NonNullable<OpenOptions['preflight']> {
  return async (available, stacksDir) =>
    available.includes(env)
      ? ctx
        ? notReady(ctx, command, [join(stacksDir, env)])
        : undefined
      : { exitCode: ExitCode.Usage, stderr: `envc ${command}: no stack for "${env}" under ${stacksDir}\n` };
}

/**
 * Preflight (src/runner/preflight.ts) before any terraform work: every problem with its fix, exit 5.
 * ENVC_SKIP_PREFLIGHT=1 skips it (a machine whose set-up preflight cannot see, e.g. credentials from a
 * provider block).
 */
async function notReady(
  ctx: CommandContext,
  command: string,
  stackDirs: string[],
): Promise<CommandResult | undefined> {
  if (ctx.env.ENVC_SKIP_PREFLIGHT === '1') return undefined;
  const { checkReadiness, machineProbes, readStackNeeds } = await import('../../../runner/preflight.js');
  const needs = readStackNeeds(stackDirs);
  if (ctx.flags['no-backend'] === true) delete needs.backend; // init -backend=false: no bucket, no keys
  const problems = await checkReadiness(needs, stackDirs, machineProbes(ctx.env));
  if (problems.length === 0) return undefined;
  const s = ctx.errStyle;
  const lines = problems.flatMap((p) => [`${s.red('not ready')}: ${p.what}`, `  next: ${p.next}`]);
  return {
    exitCode: ExitCode.NotReady,
    stderr: `envc ${command}: this machine is not ready to run terraform (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${lines.join('\n')}\n`,
  };
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

async function compileCheck(specPath: string, generatedDir: string): Promise<CompileCheck> {
  const [{ compileSpec }, { diffTree }] = await Promise.all([
    import('../../../compiler/pipeline.js'),
    import('../../../compiler/write.js'),
  ]);
  const r = await compileSpec(specPath);
  const d = await diffTree(generatedDir, r.files);
  return { staleFiles: [...d.changed, ...d.added, ...d.removed].sort() };
}
