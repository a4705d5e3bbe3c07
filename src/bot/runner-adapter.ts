import { dirname, isAbsolute, join } from 'node:path';
import type { Model } from '../compiler/model.js';
import type { RunnerDeps } from '../runner/context.js';
import type { Store } from '../store/types.js';
import type { ApproverDirectory } from './approvers.js';
import type { Log } from './log.js';
import type { BotRunner, DriftOutcome } from './runner.js';

/**
 * BotRunner over src/runner: the same planEnv / driftEnv / applyEnv as `envc plan|drift|apply`, with the
 * bot's approver directory (Slack user groups) as the gate's notion of who may approve, events to the audit
 * log and the bot's log (the bot shows results in Slack itself — a Slack notifier here would post twice),
 * and the git revision recorded with each plan so ArgoCD can be synced to exactly what was approved.
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
}

export async function createBotRunner(o: RunnerAdapterOptions): Promise<BotRunner> {
  const [
    { createTerraform },
    { auditNotifier, fanOut, terminalNotifier },
    { policyFromModel },
    { planEnv },
    { applyEnv },
    { driftEnv },
    { headCommit },
  ] = await Promise.all([
    import('../runner/terraform.js'),
    import('../runner/events.js'),
    import('../runner/policy.js'),
    import('../runner/plan.js'),
    import('../runner/apply.js'),
    import('../runner/drift.js'),
    import('../runner/git.js'),
  ]);
  const abs = (p: string) => (isAbsolute(p) ? p : join(o.cwd, p));
  const specDir = dirname(abs(o.specPath));
  const generatedDir = join(specDir, 'generated');
  const stacksDir = o.stacks ? abs(o.stacks) : join(generatedDir, 'terraform', 'environments');
  const terraform = createTerraform({
    ...(o.env.ENVC_TERRAFORM ? { bin: o.env.ENVC_TERRAFORM } : {}),
    env: o.env,
  });
  const policy = policyFromModel(o.model);
  const log = o.log.child({ component: 'runner' });
  const notifier = fanOut([auditNotifier(o.store), terminalNotifier((line) => log.info(line))], (name, err) =>
    log.warn('runner notifier failed', { notifier: name, error: err }),
  );

  const deps = (actor: string, signal?: AbortSignal): RunnerDeps => ({
    store: o.store,
    terraform,
    notifier,
    policy,
    isApprover: (env, who) => o.approvers.isApprover(who, policy(env)?.approvals.approvers ?? []),
    now: () => new Date(),
    actor,
    stacksDir,
    // With --stacks the generated tree is not the one planned: leave it out of the digest.
    ...(o.stacks ? {} : { generatedDir }),
    workDir: join(o.cwd, '.envc'),
    backend: o.env.ENVC_TERRAFORM_BACKEND !== 'false',
    lock: { ttlSeconds: 120, waitMs: 0, pollMs: 500 },
    // The bot never waits for approvals: it asks for them in Slack and applies once they are there.
    approvalWait: { waitMs: 0, pollMs: 1000 },
    progress: (env, status) => log.debug('runner progress', { env, status }),
    approveHint: (env, digest) => `/infra approve ${env} ${digest.slice(0, 12)}`,
    ...(signal ? { signal } : {}),
  });

  return {
    async plan(env, { actor, signal }) {
      const revision = await headCommit(specDir, o.env).catch(() => 'unknown');
      const r = await planEnv(
        deps(actor, signal),
        env,
        revision !== 'unknown' ? { extra: { revision } } : {},
      );
      if (r.status !== 'ok') return { kind: 'failed', env, message: r.message };
      const summary = JSON.parse(JSON.stringify({ ...r.value.record.summary })) as Record<string, unknown>;
      return {
        kind: 'planned',
        env,
        digest: r.value.digest,
        summary,
        hasChanges: r.value.summary.hasChanges,
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
          const plan = await o.store.getPlanByDigest(env, digest);
          const revision = typeof plan?.summary.revision === 'string' ? plan.summary.revision : undefined;
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
