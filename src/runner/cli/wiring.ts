/**
 * From a command line to RunnerDeps: the spec (policies), the stacks, the store, terraform, notifiers and
 * progress. Heavy pieces (store drivers, the compiler, Slack) are imported here, lazily, per command.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { CommandContext, CommandResult } from '../../cli/command.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { Model } from '../../compiler/model.js';
import type { Store } from '../../store/types.js';
import type { CompileCheck, RunnerDeps } from '../context.js';
import { auditNotifier, fanOut, type Notifier, terminalNotifier } from '../events.js';
import { actorOf, loadGroupMap, localApprovers } from '../identity.js';
import { policyFromModel, specless } from '../policy.js';
import { discoverStacks } from '../stacks.js';
import { createTerraform } from '../terraform.js';
import { parallelOf, parseDurationMs, pathFlag } from './options.js';
import { createProgress, type Progress } from './progress.js';

export interface CliRunner {
  deps: RunnerDeps;
  model?: Model;
  specPath: string;
  available: string[];
  progress: Progress;
  parallel: number;
  close(): Promise<void>;
}

export type Opened = { ok: true; runner: CliRunner } | { ok: false; result: CommandResult };

export interface OpenOptions {
  /** Skip the terraform version check (approvals, lock: no terraform needed). */
  noTerraform?: boolean;
  /** Checks the command line against the stacks found, before anything slow is opened (usage errors fail fast). */
  preflight?: (available: string[], stacksDir: string) => CommandResult | undefined;
}

export async function loadSpecModel(
  ctx: CommandContext,
): Promise<
  { ok: true; model?: Model; specPath: string; stacksFlag?: string } | { ok: false; result: CommandResult }
> {
  const specPath = pathFlag(ctx, 'spec') ?? join(ctx.cwd, 'environments.yaml');
  const stacksFlag = pathFlag(ctx, 'stacks');
  const display = relative(ctx.cwd, specPath) || specPath;
  if (!existsSync(specPath)) {
    if (stacksFlag) {
      ctx.progress(
        ctx.errStyle.yellow(
          `warning: no ${display}: without a spec nothing is gated except an environment named "production", which nobody can approve`,
        ),
      );
      return { ok: true, specPath, stacksFlag };
    }
    return {
      ok: false,
      result: {
        exitCode: ExitCode.Findings,
        stderr: `envc: cannot find ${display}; pass --spec FILE (or --stacks DIR to run on bare terraform roots)\n`,
      },
    };
  }
  const { buildModel } = await import('../../compiler/pipeline.js');
  const built = await buildModel(specPath, { displayName: display });
  const { hasErrors } = await import('../../compiler/diagnostics/diagnostic.js');
  if (!built.model || hasErrors(built.diagnostics)) {
    const { renderDiagnostics } = await import('../../compiler/diagnostics/render.js');
    return {
      ok: false,
      result: {
        exitCode: ExitCode.Findings,
        stderr: `${renderDiagnostics(built.diagnostics, built.source?.text, ctx.errStyle)}envc: ${display} has errors; fix them first (envc validate)\n`,
      },
    };
  }
  return { ok: true, model: built.model, specPath, ...(stacksFlag ? { stacksFlag } : {}) };
}

export async function openCliRunner(ctx: CommandContext, o: OpenOptions = {}): Promise<Opened> {
  const specFlag = pathFlag(ctx, 'spec') ?? join(ctx.cwd, 'environments.yaml');
  const stacksFlag = pathFlag(ctx, 'stacks');
  const specDir = dirname(specFlag);
  const stacksDir = stacksFlag ?? join(specDir, 'generated', 'terraform', 'environments');
  const available = await discoverStacks(stacksDir);
  const early = o.preflight?.(available, stacksDir);
  if (early) return { ok: false, result: early };

  // The store opens while the spec loads and terraform works (PGlite takes seconds to start on a busy
  // machine): store calls wait for it.
  const [{ openStore }, { lazyStore }] = await Promise.all([
    import('../../store/index.js'),
    import('../../store/lazy.js'),
  ]);
  const where = ctx.env.ENVC_STORE ?? '.envc/state';
  const opening = openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd }).catch((err: Error) => {
    throw new Error(`cannot open the store (${where}): ${err.message}`);
  });
  const store: Store = lazyStore(opening, /^postgres(ql)?:/.test(where) ? 'postgres' : 'pglite');
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
  const generatedFlag = pathFlag(ctx, 'generated');
  const generatedDir = generatedFlag ?? (stacksFlag ? undefined : join(specDir, 'generated'));
  const progress = createProgress({ isTTY: ctx.isTTY, emit: ctx.progress, style: ctx.errStyle });
  const policy = model ? policyFromModel(model) : specless;
  const notifiers: Notifier[] = [terminalNotifier((l) => progress.log(l)), auditNotifier(store)];
  if (ctx.env.SLACK_BOT_TOKEN && model) {
    const { slackNotifierFromEnv } = await import('../../bot/notifier.js');
    const slack = await slackNotifierFromEnv({ env: ctx.env, store, model, sink: (l) => progress.log(l) });
    if (slack) notifiers.push(slack);
  }
  const verbose = ctx.flags.verbose === true;
  const deps: RunnerDeps = {
    store,
    terraform,
    notifier: fanOut(notifiers, (name, err) =>
      progress.log(ctx.errStyle.yellow(`warning: ${name} notifier failed: ${err.message}`)),
    ),
    policy,
    isApprover: localApprovers((env) => policy(env)?.approvals.approvers, loadGroupMap(ctx.env, ctx.cwd)),
    now: () => new Date(),
    actor: actorOf(ctx.flags.as, ctx.env),
    stacksDir,
    ...(generatedDir ? { generatedDir } : {}),
    workDir: join(ctx.cwd, '.envc'),
    backend: ctx.flags['no-backend'] !== true,
    lock: {
      ttlSeconds: Number(ctx.env.ENVC_LOCK_TTL ?? 120),
      waitMs:
        typeof ctx.flags['lock-wait'] === 'string' ? parseDurationMs(ctx.flags['lock-wait'], 'lock-wait') : 0,
      pollMs: 250,
    },
    approvalWait: {
      waitMs: typeof ctx.flags.wait === 'string' ? parseDurationMs(ctx.flags.wait, 'wait') : 0,
      pollMs: Number(ctx.env.ENVC_APPROVAL_POLL_MS ?? 5000),
    },
    progress: (env, status) => progress.update(env, status),
    ...(verbose ? { output: (env: string, line: string) => progress.log(`${env} │ ${line}`) } : {}),
    ...(model && (!stacksFlag || generatedFlag) && generatedDir
      ? { compileCheck: () => compileCheck(specPath, generatedDir) }
      : {}),
    signal: ctx.signal,
  };
  return {
    ok: true,
    runner: {
      deps,
      ...(model ? { model } : {}),
      specPath,
      available,
      progress,
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

async function compileCheck(specPath: string, generatedDir: string): Promise<CompileCheck> {
  const [{ compileSpec }, { diffTree }] = await Promise.all([
    import('../../compiler/pipeline.js'),
    import('../../compiler/write.js'),
  ]);
  const r = await compileSpec(specPath);
  const d = await diffTree(generatedDir, r.files);
  return { staleFiles: [...d.changed, ...d.added, ...d.removed].sort() };
}
