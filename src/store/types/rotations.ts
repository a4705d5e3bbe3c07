import type { JsonObject } from './common.js';

export type RotationStatus = 'running' | 'succeeded' | 'failed' | 'rolled-back';

export interface RotationStep {
  step: string;
  status: 'ok' | 'failed' | 'skipped';
  at: Date;
  details: JsonObject;
}

export interface RotationRecord {
  id: string;
  env: string;
  secret: string;
  actor: string;
  status: RotationStatus;
  startedAt: Date;
  finishedAt?: Date;
  error?: string;
  steps: RotationStep[];
  details: JsonObject;
}

export interface RotationStore {
  recordRotationStart(r: {
    env: string;
    secret: string;
    actor: string;
    details?: JsonObject;
    now?: Date;
  }): Promise<RotationRecord>;
  recordRotationStep(
    id: string,
    s: { step: string; status: RotationStep['status']; details?: JsonObject; at?: Date },
  ): Promise<void>;
  recordRotationFinish(
    id: string,
    f: { status: Exclude<RotationStatus, 'running'>; error?: string; at?: Date },
  ): Promise<RotationRecord | undefined>;
  /** The latest rotation of this secret in this environment (any status unless `status` given). */
  lastRotation(env: string, secret: string, status?: RotationStatus): Promise<RotationRecord | undefined>;
  listRotations(filter?: { env?: string; secret?: string; limit?: number }): Promise<RotationRecord[]>;
}
