import type { Model } from '../compiler/model.js';
import type { RunnerDeps } from '../runner/context.js';
import type { Store } from '../store/types.js';
import type { ApproverDirectory } from './approvers.js';
import type { Log } from './log.js';
import type { BotRunner, DriftOutcome } from './runner.js';

/**
 * BotRunner over src/runner: the same planEnv / driftEnv / applyEnv as `envc plan|drift|apply`, on
 * RunnerDeps built by the same `createRunnerDeps` as the CLI's, with the bot's approver directory (Slack
 * user groups) as the gate's notion of who may approve and events to the audit log and the bot's log (the
 * bot shows results in Slack itself — a Slack notifier here would post twice). The runner records the git
 * revision with each plan; an apply reports it so ArgoCD is synced to exactly what was approved.
 */
export interface RunnerAdapterOptions {
  model: Model;
  store: Store;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Terraform roots (one per environment); default generated/terraform/environments beside the spec. */
  stacks?: string;
  specPath: string;
  log: Log;
  approvers: ApproverDirectory;
  /** Who the bot is when acting for itself (default `envc-bot`). */
  botActor?: string;
}

export async function createBotRunner(o: RunnerAdapterOptions): Promise<BotRunner> {
  const [
    { createRunnerDeps, runnerPaths },
    { createTerraform },
    { auditNotifier, terminalNotifier },
    { planEnv },
    { applyEnv },
    { driftEnv },
  ] = await Promise.all([
    import('../runner/runner-deps.js'),
    import('../runner/terraform.js'),
    import('../runner/events.js'),
    import('../runner/plan.js'),
    import('../runner/apply.js'),
    import('../runner/drift.js'),
  ]);
  const log = o.log.child({ component: 'runner' });
  const terraform = createTerraform({ env: o.env });
  const paths = runnerPaths({ cwd: o.cwd, specPath: o.specPath, ...(o.stacks ? { stacks: o.stacks } : {}) });
  const deps = (actor: string, signal?: AbortSignal): RunnerDeps =>
    createRunnerDeps({
      store: o.store,
      env: o.env,
      cwd: o.cwd,
      paths,
      specPath: o.specPath,
      model: o.model,
      actor,
      approverCheck: (who, approvers) => o.approvers.isApprover(who, approvers),
      notifiers: [auditNotifier(o.store), terminalNotifier((line) => log.info(line))],
      onNotifierError: (name, err) => log.warn('runner notifier failed', { notifier: name, error: err }),
      terraform,
      backend: o.env.ENVC_TERRAFORM_BACKEND !== 'false',
      lockWaitMs: 0,
      lockPollMs: 500,
      // The bot never waits for approvals: it asks for them in Slack and applies once they are there.
      approvalWaitMs: 0,
      progress: (env, status) => log.debug('runner progress', { env, status }),
      approveHint: (env, digest) => `/infra approve ${env} ${digest.slice(0, 12)}`,
      ...(signal ? { signal } : {}),
    });
  // Settings from the environment (ENVC_KEEP_PLANS, ENVC_LOCK_TTL, …) are checked now, so a bad one stops
  // the bot at start instead of failing every plan.
  deps(o.botActor ?? 'envc-bot');

  return {
    async plan(env, { actor, signal }) {
      const r = await planEnv(deps(actor, signal), env);
      if (r.status !== 'ok') return { kind: 'failed', env, message: r.message };
      const summary = JSON.parse(JSON.stringify({ ...r.value.record.summary })) as Record<string, unknown>;
      return {
        kind: 'planned',
        env,
        digest: r.value.digest,
        summary,
        hasChanges: r.value.summary.hasChanges,
        ...(r.value.revision ? { revision: r.value.revision } : {}),
      };
    },
    async drift(env, { actor, signal }): Promise<DriftOutcome> {
      const r = await driftEnv(deps(actor, signal), env);
      if (r.status !== 'ok') return { kind: 'failed', env, message: r.message };
      const d = r.value;
      if (!d.drifted || !d.fingerprint)
        return {
          kind: 'clean',
          env,
          ...(d.resolvedIncidentId ? { resolvedIncidentId: d.resolvedIncidentId } : {}),
        };
      return {
        kind: 'drift',
        env,
        fingerprint: d.fingerprint,
        summary: { outOfBand: d.infrastructure, unapplied: d.unapplied, staleFiles: d.staleFiles },
        ...(d.incident
          ? { incident: { id: d.incident.id, isNew: d.incident.isNew, changed: d.incident.changed } }
          : {}),
      };
    },
    async apply(env, digest, { actor, signal }) {
      const r = await applyEnv(deps(actor, signal), env, { digest });
      switch (r.status) {
        case 'ok': {
          // The revision the runner recorded with the plan: what ArgoCD is synced to.
          const revision = (await o.store.getPlanByDigest(env, digest))?.revision;
          return { kind: 'applied', env, digest, ...(revision ? { revision } : {}) };
        }
        case 'refused':
          return { kind: 'refused', env, message: `${r.message}${r.next ? ` (next: ${r.next})` : ''}` };
        case 'awaiting-approval':
          return { kind: 'refused', env, message: `${r.message}: ${r.reasons.join('; ')}` };
        case 'failed':
          return { kind: 'failed', env, message: r.message };
      }
    },
  };
}
