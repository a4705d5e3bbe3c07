import type { JsonObject } from './common.js';

export type IncidentStatus = 'open' | 'resolved';

export interface DriftIncident {
  id: string;
  env: string;
  /** sha256 of what drifted (addresses + kinds); a different fingerprint means the drift changed. */
  fingerprint: string;
  summary: JsonObject;
  status: IncidentStatus;
  openedAt: Date;
  updatedAt: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
  /** How many drift runs have seen this incident. */
  occurrences: number;
  slackChannel?: string;
  slackTs?: string;
  ackedBy?: string;
  ackedAt?: Date;
  snoozedUntil?: Date;
}

export interface IncidentUpsert {
  env: string;
  fingerprint: string;
  summary: JsonObject;
  now?: Date;
}

export interface IncidentUpsertResult {
  incident: DriftIncident;
  /** True when no incident was open for this environment. */
  isNew: boolean;
  /** True when an open incident existed and its fingerprint differs (the drift changed). */
  changed: boolean;
}

/** Drift incidents: at most one open per environment. */
export interface IncidentStore {
  openOrUpdateIncident(u: IncidentUpsert): Promise<IncidentUpsertResult>;
  resolveIncident(id: string, by: { actor: string; now?: Date }): Promise<DriftIncident | undefined>;
  getOpenIncident(env: string): Promise<DriftIncident | undefined>;
  getIncident(id: string): Promise<DriftIncident | undefined>;
  listIncidents(filter?: { env?: string; status?: IncidentStatus }): Promise<DriftIncident[]>;
  setIncidentSlackThread(id: string, channel: string, ts: string): Promise<void>;
  ackIncident(id: string, actor: string, now?: Date): Promise<DriftIncident | undefined>;
  snoozeIncident(id: string, until: Date, actor: string): Promise<DriftIncident | undefined>;
}
