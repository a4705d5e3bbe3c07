import type { ScheduledTask } from 'node-cron';
import type { BotDeps } from '../deps.js';
import { cronLogger } from '../log.js';
import type { Job } from './types.js';

export type TickOutcome = 'ok' | 'failed' | 'skipped';

/**
 * Runs one tick of a job, at most once across replicas: the job lock (a PostgreSQL advisory lock, or a
 * process mutex on PGlite) keeps two replicas from running it at the same moment, and a per-tick marker in
 * the store keeps a replica whose clock fired a little later from running the same tick again. What the job
 * throws is logged and counted; it never reaches the caller, so one job cannot stop the others.
 */
export async function runTick(job: Job, deps: BotDeps, tick: Date): Promise<TickOutcome> {
  const log = deps.log.child({ job: job.name, tick: tick.toISOString() });
  let lock: Awaited<ReturnType<BotDeps['store']['tryJobLock']>>;
  try {
    lock = await deps.store.tryJobLock(`bot:${job.name}`);
  } catch (err) {
    log.error('job lock unavailable; tick skipped', { error: err });
    deps.metrics.schedulerRuns.inc({ job: job.name, outcome: 'failed' });
    return 'failed';
  }
  if (!lock) {
    deps.metrics.schedulerRuns.inc({ job: job.name, outcome: 'skipped' });
    log.debug('another replica runs this job');
    return 'skipped';
  }
  const started = performance.now();
  try {
    if (!(await deps.store.rememberSlackRequest(`job:${job.name}:${tick.toISOString()}`))) {
      deps.metrics.schedulerRuns.inc({ job: job.name, outcome: 'skipped' });
      log.debug('tick already ran on another replica');
      return 'skipped';
    }
    const result = await job.run(deps, tick);
    deps.metrics.schedulerRuns.inc({ job: job.name, outcome: 'ok' });
    log.info('job ran', { durationMs: Math.round(performance.now() - started), result: result ?? {} });
    return 'ok';
  } catch (err) {
    deps.metrics.schedulerRuns.inc({ job: job.name, outcome: 'failed' });
    log.error('job failed', { error: err });
    return 'failed';
  } finally {
    await lock.release().catch((err) => log.warn('job lock release failed', { error: err }));
  }
}

/** The scheduled time of a run, to the second (node-cron hands the slot; the same on every replica). */
export function slotOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export interface Scheduler {
  /** The schedules in force, by job. */
  readonly schedules: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts node-cron tasks for the jobs (node-cron loaded lazily; schedules in the spec's time zone). */
export async function startScheduler(
  deps: BotDeps,
  list: Job[],
  overrides: Record<string, string> = {},
): Promise<Scheduler> {
  const cron = await import('node-cron');
  const logger = cronLogger(deps.log);
  // Per task below, and globally for what node-cron logs outside a task.
  cron.setLogger(logger);
  const tasks: ScheduledTask[] = [];
  const schedules: Record<string, string> = {};
  const running = new Set<Promise<TickOutcome>>();
  for (const name of Object.keys(overrides)) {
    if (!list.some((j) => j.name === name))
      deps.log.warn('schedule override names no job', { job: name, jobs: list.map((j) => j.name) });
  }
  for (const job of list) {
    const expr =
      overrides[job.name] ?? (typeof job.schedule === 'string' ? job.schedule : job.schedule(deps.model));
    if (!expr) continue;
    if (!cron.validate(expr)) {
      deps.log.error('invalid schedule; job not started', { job: job.name, schedule: expr });
      continue;
    }
    schedules[job.name] = expr;
    const task = cron.schedule(
      expr,
      async (ctx) => {
        const p = runTick(job, deps, slotOf(ctx.date ?? ctx.triggeredAt));
        running.add(p);
        try {
          await p;
        } finally {
          running.delete(p);
        }
      },
      { name: `envc-${job.name}`, timezone: deps.model.schedules.timezone, noOverlap: true, logger },
    );
    tasks.push(task);
  }
  return {
    schedules,
    async stop() {
      for (const t of tasks) await t.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
