/**
 * After an approval: the bot's own apply of plans it requested, the ArgoCD sync of manual-sync environments
 * (after any apply, the bot's or CI's), and the sweeper that expires requests and finishes what CI applied.
 */
import { environment } from '../compiler/model.js';
import { approvalKey, loadPlanView, renderApproval, thread } from './approval-state.js';
import { shortDigest } from './blocks/common.js';
import type { BotDeps } from './deps.js';
import { MessageKind } from './ids.js';
import { ref } from './slack-messages.js';

/** Applies an approved plan the bot requested, then (manual-sync environments) syncs ArgoCD. */
export async function applyApproved(deps: BotDeps, env: string, digest: string): Promise<void> {
  // The apply runs on behalf of the requester: the runner's gate then refuses approvals by that same
  // person, exactly as for an apply started from the command line.
  const request = await deps.store.getApprovalRequest(env, digest);
  const actor = request?.requester ?? deps.botActor;
  const outcome = await deps.runner.apply(env, digest, { actor });
  if (outcome.kind !== 'applied') {
    deps.metrics.approvals.inc({ env, decision: 'apply_failed' });
    await deps.audit({
      actor: deps.botActor,
      env,
      action: 'apply.fail',
      details: { digest, error: outcome.message, refused: outcome.kind === 'refused' },
    });
    await renderApproval(deps, env, digest);
    await thread(
      deps,
      env,
      digest,
      `:x: Apply of \`${shortDigest(digest)}\` ${outcome.kind === 'refused' ? 'was refused' : 'failed'}: ${outcome.message}`,
    );
    return;
  }
  // The runner recorded the outcome on the request (`applied`); the message is re-rendered from it.
  deps.metrics.approvals.inc({ env, decision: 'applied' });
  await deps.audit({
    actor: deps.botActor,
    env,
    action: 'apply',
    details: { digest, revision: outcome.revision ?? null },
  });
  await renderApproval(deps, env, digest);
  await thread(deps, env, digest, `:rocket: Applied \`${shortDigest(digest)}\` to ${env}`);
  await afterApply(deps, env, digest, outcome.revision);
}

/**
 * After an apply (by the bot, or by CI — see the approval sweeper): environments that sync manually get an
 * ArgoCD sync to exactly the approved revision. Runs once per (env, digest) across replicas.
 */
export async function afterApply(
  deps: BotDeps,
  env: string,
  digest: string,
  revision?: string,
): Promise<void> {
  const e = environment(deps.model, env);
  if (!e || e.argocd.autoSync) return;
  if (!(await deps.store.rememberSlackRequest(`argo:${env}:${digest}`))) return;
  const rev = revision ?? (await loadPlanView(deps, env, digest)).revision;
  let details: Record<string, unknown>;
  if (!deps.argo)
    details = {
      digest,
      error:
        'no ArgoCD sync configured (ENVC_ARGOCD_URL and the project tokens, plus ENVC_ARGO_KUBE_URL or the in-cluster service account)',
    };
  else if (!rev) details = { digest, error: 'the plan records no git revision to sync to' };
  else {
    try {
      const r = await deps.argo.syncApplications(env, rev, {
        reason: `envc: approved digest ${shortDigest(digest)}`,
      });
      details = { digest, revision: rev, applications: r.applications, failed: r.failed };
      if (r.failed.length > 0) details.error = r.failed.map((f) => `${f.name}: ${f.error}`).join('; ');
      else if (r.applications.length === 0) details.error = `no ArgoCD applications labelled for ${env}`;
    } catch (err) {
      details = { digest, revision: rev, error: (err as Error).message };
    }
  }
  await deps.audit({ actor: deps.botActor, env, action: 'argo.sync', details });
  await renderApproval(deps, env, digest);
  await thread(
    deps,
    env,
    digest,
    details.error
      ? `:warning: ArgoCD sync of ${env}: ${String(details.error)}`
      : `:arrows_counterclockwise: ArgoCD sync of ${(details.applications as string[]).map((a) => `\`${a}\``).join(', ')} started at revision \`${String(rev).slice(0, 12)}\``,
  );
}

/** How long after an apply finished elsewhere the sweeper still looks at it. */
const SWEEP_FINISHED_MS = 7 * 24 * 3600_000;

/**
 * The approval sweeper (a scheduled job): expires pending requests nobody approved in time (the store moves
 * each to `expired` exactly once, so the expiry is posted and audited once across replicas), and finishes
 * the work after applies that happened elsewhere (CI): message update and ArgoCD sync.
 */
export async function sweepApprovals(deps: BotDeps): Promise<{ expired: number; applied: number }> {
  const now = deps.now();
  let expired = 0;
  let applied = 0;
  for (const r of await deps.store.expireApprovalRequests(now)) {
    expired += 1;
    deps.metrics.approvals.inc({ env: r.env, decision: 'expired' });
    await deps.audit({
      actor: deps.botActor,
      env: r.env,
      action: 'approval.expire',
      details: { digest: r.digest, requester: r.requester },
    });
    await renderApproval(deps, r.env, r.digest);
    await thread(
      deps,
      r.env,
      r.digest,
      `:alarm_clock: The approval request for \`${shortDigest(r.digest)}\` expired without enough approvals`,
    );
  }
  for (const r of await deps.store.listApprovalRequests({ status: ['applied', 'failed'] })) {
    if (!r.finishedAt || now.getTime() - r.finishedAt.getTime() > SWEEP_FINISHED_MS) continue;
    if (!(await ref(deps, MessageKind.approval, approvalKey(r.env, r.digest)))) continue;
    if (!(await deps.store.rememberSlackRequest(`${r.status}-seen:${r.env}:${r.digest}`))) continue;
    applied += 1;
    await renderApproval(deps, r.env, r.digest);
    if (r.status === 'applied') await afterApply(deps, r.env, r.digest);
  }
  return { expired, applied };
}
