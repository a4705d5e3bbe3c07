import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../test/support/model.js';
import { openTestStore } from '../../../test/support/store.js';
import { Redactor } from '../../redact.js';
import type { Store } from '../../store/types.js';
import type { BotDeps } from '../deps.js';
import { memoryLog } from '../log.js';
import { createMetrics } from '../metrics.js';
import { runTick, startScheduler } from './scheduler.js';
import type { Job } from './types.js';

let store: Store;
let deps: BotDeps;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  store = (await openTestStore()).store;
  const log = memoryLog(new Redactor());
  lines = log.lines;
  deps = {
    store,
    model: await defaultModel(),
    log,
    metrics: await createMetrics({ defaultMetrics: false }),
    now: () => new Date(),
  } as unknown as BotDeps;
});
afterAll(() => store.close());

const job = (name: string, run: Job['run']): Job => ({ name, schedule: '* * * * *', run });

describe('scheduled jobs', () => {
  it('run a tick once: the same tick again (another replica, a late timer) is skipped', async () => {
    let runs = 0;
    const j = job('count', async () => {
      runs += 1;
      return { runs };
    });
    const tick = new Date('2026-11-26T12:00:00Z');
    expect(await runTick(j, deps, tick)).toBe('ok');
    expect(await runTick(j, deps, tick)).toBe('skipped');
    expect(await runTick(j, deps, new Date('2026-11-26T12:01:00Z'))).toBe('ok');
    expect(runs).toBe(2);
  });

  it('skip while another holder has the job lock', async () => {
    const lock = await store.tryJobLock('bot:locked');
    expect(lock).toBeDefined();
    let ran = false;
    expect(
      await runTick(
        job('locked', async () => {
          ran = true;
          return undefined;
        }),
        deps,
        new Date(),
      ),
    ).toBe('skipped');
    await lock!.release();
    expect(ran).toBe(false);
    expect(
      await runTick(
        job('locked', async () => {
          ran = true;
          return undefined;
        }),
        deps,
        new Date(),
      ),
    ).toBe('ok');
    expect(ran).toBe(true);
  });

  it('contain a failing job: it is logged and counted, the lock is released, the next job runs', async () => {
    const bad = job('bad', async () => {
      throw new Error('boom');
    });
    expect(await runTick(bad, deps, new Date('2026-11-26T13:00:00Z'))).toBe('failed');
    expect(lines.some((l) => l.msg === 'job failed' && l.job === 'bad')).toBe(true);
    expect(await runTick(bad, deps, new Date('2026-11-26T13:01:00Z'))).toBe('failed');
    expect(await deps.metrics.text()).toContain(
      'envc_bot_scheduler_runs_total{job="bad",outcome="failed"} 2',
    );
  });

  it('drive jobs with node-cron (a per-second override here), logging through our logger only', async () => {
    const seen: Date[] = [];
    const s = await startScheduler(
      deps,
      [
        job('fast', async (_d, tick) => {
          seen.push(tick);
          return undefined;
        }),
        job('spec-drift', async () => undefined),
      ],
      { fast: '* * * * * *', nosuch: '* * * * *' },
    );
    expect(s.schedules).toEqual({ fast: '* * * * * *', 'spec-drift': '* * * * *' });
    const start = Date.now();
    while (seen.length < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // Ticks are whole seconds, the same on every replica.
    expect(seen.every((d) => d.getMilliseconds() === 0)).toBe(true);
    expect(lines.some((l) => l.msg === 'schedule override names no job' && l.job === 'nosuch')).toBe(true);
  });
});
