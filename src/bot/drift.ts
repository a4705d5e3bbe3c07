import type { DriftIncident } from '../store/types.js';
import { lastApply } from './audit.js';
import { shortDigest } from './blocks/common.js';
import { type IncidentState, type IncidentUpdate, incidentMessage, incidentReply } from './blocks/drift.js';
import type { BotDeps } from './deps.js';
import { driftView } from './drift-view.js';
import type { DriftOutcome } from './runner.js';
import { type Posted, post, reply, update } from './slack-messages.js';

/**
 * Drift incidents in Slack: one parent message per incident (posted when it opens, updated on every later
 * check), replies in its thread for "still drifting", "changed" and "resolved". The incident itself (one
 * open per environment, keyed by a fingerprint of what drifted) is the store's; this module only shows it.
 */
export type DriftReport =
  | { kind: 'opened' | 'still' | 'changed' | 'snoozed'; env: string; incident: DriftIncident }
  | { kind: 'resolved'; env: string; incident: DriftIncident }
  | { kind: 'clean'; env: string }
  | { kind: 'failed'; env: string; message: string };

export function incidentState(i: DriftIncident, resolution?: string): IncidentState {
  return {
    id: i.id,
    env: i.env,
    status: i.status,
    openedAt: i.openedAt,
    updatedAt: i.updatedAt,
    occurrences: i.occurrences,
    drift: driftView(i.summary),
    ackedBy: i.ackedBy,
    snoozedUntil: i.snoozedUntil,
    resolvedAt: i.resolvedAt,
    resolution: resolution ?? (typeof i.summary.resolution === 'string' ? i.summary.resolution : undefined),
  };
}

function thread(i: DriftIncident): Posted | undefined {
  return i.slackChannel && i.slackTs ? { channel: i.slackChannel, ts: i.slackTs } : undefined;
}

/** The incident's parent: the recorded thread, or a new parent when the incident was opened without Slack (CLI). */
async function parentOf(deps: BotDeps, i: DriftIncident): Promise<{ at: Posted; created: boolean }> {
  const at = thread(i);
  if (at) return { at, created: false };
  const posted = await post(deps, incidentMessage(incidentState(i), deps.now()));
  await deps.store.setIncidentSlackThread(i.id, posted.channel, posted.ts);
  return { at: posted, created: true };
}

/** Runs a drift check of one environment through the runner and shows the result. */
export async function checkDrift(deps: BotDeps, env: string, actor: string): Promise<DriftReport> {
  const outcome = await deps.runner.drift(env, { actor });
  return reportDrift(deps, outcome, actor);
}

export async function reportDrift(deps: BotDeps, outcome: DriftOutcome, actor: string): Promise<DriftReport> {
  const env = outcome.env;
  const now = deps.now();
  if (outcome.kind === 'failed') {
    deps.log.warn('drift check did not finish', { env, error: outcome.message });
    return { kind: 'failed', env, message: outcome.message };
  }
  if (outcome.kind === 'clean') return resolve(deps, env, actor, outcome.resolvedIncidentId);

  let incident: DriftIncident | undefined;
  let isNew: boolean;
  let changed: boolean;
  if (outcome.incident) {
    incident = await deps.store.getIncident(outcome.incident.id);
    ({ isNew, changed } = outcome.incident);
  } else {
    const r = await deps.store.openOrUpdateIncident({
      env,
      fingerprint: outcome.fingerprint,
      summary: outcome.summary,
      now,
    });
    ({ incident, isNew, changed } = r);
  }
  if (!incident) throw new Error(`drift incident ${outcome.incident?.id} of ${env} is not in the store`);
  deps.metrics.driftOpen.set({ env }, 1);

  const { at, created } = await parentOf(deps, incident);
  if (isNew || created) {
    deps.metrics.driftIncidents.inc({ env, event: 'opened' });
    await deps.audit({
      actor,
      env,
      action: 'drift.open',
      details: { incident: incident.id, fingerprint: incident.fingerprint },
    });
    return { kind: 'opened', env, incident };
  }
  const state = incidentState(incident);
  await update(deps, at, incidentMessage(state, now));
  const snoozed = incident.snoozedUntil !== undefined && incident.snoozedUntil > now;
  deps.metrics.driftIncidents.inc({ env, event: changed ? 'changed' : 'updated' });
  if (snoozed && !changed) return { kind: 'snoozed', env, incident };
  const kind: IncidentUpdate = changed ? 'changed' : 'still';
  await reply(deps, at, incidentReply(kind, state, { at: now }));
  if (changed)
    await deps.audit({
      actor,
      env,
      action: 'drift.change',
      details: { incident: incident.id, fingerprint: incident.fingerprint },
    });
  return { kind, env, incident };
}

/** What resolved an incident: an apply since it opened, or a check that found nothing. */
async function resolution(deps: BotDeps, i: DriftIncident, actor: string): Promise<string> {
  const a = await lastApply(deps.store, i.env, i.openedAt);
  if (a) {
    const digest = typeof a.details.digest === 'string' ? ` of \`${shortDigest(a.details.digest)}\`` : '';
    return `resolved by the apply${digest} by ${a.actor}`;
  }
  return actor === deps.botActor
    ? 'the scheduled drift check found no drift'
    : `a drift check by ${actor} found no drift`;
}

async function resolve(deps: BotDeps, env: string, actor: string, resolvedId?: string): Promise<DriftReport> {
  let incident = resolvedId
    ? await deps.store.getIncident(resolvedId)
    : await deps.store.getOpenIncident(env);
  deps.metrics.driftOpen.set({ env }, 0);
  if (!incident) return { kind: 'clean', env };
  // Only one replica closes it: the one that claims the close.
  if (!(await deps.store.rememberSlackRequest(`drift-resolved:${incident.id}`)))
    return { kind: 'clean', env };
  const why = await resolution(deps, incident, actor);
  if (incident.status === 'open')
    incident = (await deps.store.resolveIncident(incident.id, { actor, now: deps.now() })) ?? incident;
  const state = incidentState(incident, why);
  const at = thread(incident);
  if (at) {
    await update(deps, at, incidentMessage(state, deps.now()));
    await reply(deps, at, incidentReply('resolved', state, { at: deps.now() }));
  }
  deps.metrics.driftIncidents.inc({ env, event: 'resolved' });
  await deps.audit({
    actor,
    env,
    action: 'drift.resolve',
    details: { incident: incident.id, resolution: why },
  });
  return { kind: 'resolved', env, incident };
}

/** Acknowledge / snooze from the incident's buttons: update the parent, note it in the thread. */
export async function acknowledge(
  deps: BotDeps,
  incidentId: string,
  actor: string,
): Promise<DriftIncident | undefined> {
  const i = await deps.store.ackIncident(incidentId, actor, deps.now());
  if (!i) return undefined;
  await deps.audit({ actor, env: i.env, action: 'drift.ack', details: { incident: i.id } });
  const at = thread(i);
  if (at) {
    await update(deps, at, incidentMessage(incidentState(i), deps.now()));
    await reply(deps, at, incidentReply('acked', incidentState(i), { actor, at: deps.now() }));
  }
  return i;
}

export async function snooze(
  deps: BotDeps,
  incidentId: string,
  actor: string,
  hours = 24,
): Promise<DriftIncident | undefined> {
  const until = new Date(deps.now().getTime() + hours * 3600_000);
  const i = await deps.store.snoozeIncident(incidentId, until, actor);
  if (!i) return undefined;
  await deps.audit({
    actor,
    env: i.env,
    action: 'drift.snooze',
    details: { incident: i.id, until: until.toISOString() },
  });
  const at = thread(i);
  if (at) {
    await update(deps, at, incidentMessage(incidentState(i), deps.now()));
    await reply(deps, at, incidentReply('snoozed', incidentState(i), { actor, at: deps.now() }));
  }
  return i;
}
