import type { Model } from '../../compiler/model.js';
import type { BotDeps } from '../deps.js';

/**
 * A scheduled job: one file, `{ name, schedule, run(deps) }`. The scheduler (scheduler.ts) runs each tick
 * once across replicas, catches and logs what a job throws, and keeps going with the others.
 */
export interface Job {
  name: string;
  /** A cron expression (node-cron: 5 fields, or 6 with seconds), or where in the spec it comes from. */
  schedule: string | ((model: Model) => string | undefined);
  /** `tick` is the scheduled time of this run (the same on every replica). */
  run(deps: BotDeps, tick: Date): Promise<Record<string, unknown> | undefined>;
}
