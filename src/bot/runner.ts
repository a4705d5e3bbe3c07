import type { JsonObject } from '../store/types.js';

/**
 * What the bot needs from the runner: plan, drift and apply of one environment. The bot never drives
 * terraform itself; `envc bot` wires this to src/runner (see runner-adapter.ts), tests use the real runner
 * on fixture stacks or a narrow in-process implementation where terraform is not the point.
 *
 * Implementations record plans (store.recordPlan) and drift incidents (store.openOrUpdateIncident) the
 * same way `envc plan` / `envc drift` do, and report here what the bot has to show.
 */
export interface RunOptions {
  /** Who asked: a Slack user id, or `envc-bot` for scheduled work. */
  actor: string;
  signal?: AbortSignal;
}

export type PlanOutcome =
  | {
      kind: 'planned';
      env: string;
      digest: string;
      summary: JsonObject;
      hasChanges: boolean;
      /** The git revision the runner recorded with the plan (plans.revision). */
      revision?: string;
    }
  | { kind: 'failed'; env: string; message: string };

export type DriftOutcome =
  | {
      kind: 'drift';
      env: string;
      fingerprint: string;
      summary: JsonObject;
      /** The incident as the runner recorded it, when it did (else the bot records it). */
      incident?: { id: string; isNew: boolean; changed: boolean };
    }
  /** `resolvedIncidentId`: the runner already resolved the open incident (else the bot does). */
  | { kind: 'clean'; env: string; resolvedIncidentId?: string }
  | { kind: 'failed'; env: string; message: string };

export type ApplyOutcome =
  | { kind: 'applied'; env: string; digest: string; revision?: string }
  /** An expected refusal (not approved, lock held, stale plan): `message` says what to do next. */
  | { kind: 'refused'; env: string; message: string }
  | { kind: 'failed'; env: string; message: string };

export interface BotRunner {
  plan(env: string, opts: RunOptions): Promise<PlanOutcome>;
  drift(env: string, opts: RunOptions): Promise<DriftOutcome>;
  /** Applies the saved plan with this digest through the runner's approval gate. */
  apply(env: string, digest: string, opts: RunOptions): Promise<ApplyOutcome>;
}
