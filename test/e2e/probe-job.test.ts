import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeJob } from '../../src/bot/jobs/probe.js';
import { runTick } from '../../src/bot/jobs/scheduler.js';
import type { Model } from '../../src/compiler/model.js';
import { defaultModel } from '../support/model.js';
import { type ScheduledServer, scheduledServer } from '../support/probe-servers.js';
import { Clock, type Harness, startHarness } from '../support/slack/bot-harness.js';
import { checkMessage } from '../support/slack/index.js';
import { openTestStore } from '../support/store.js';

/**
 * The bot's scheduled availability probe: a real bot (Bolt, real store) against the local Slack fake, with
 * staging's API server and service as local servers that fail on a schedule. One burn episode must give
 * exactly one parent message, replies as it changes, and a resolution — driven tick by tick on a clock.
 */
describe('scheduled probe job: one thread per burn episode', () => {
  let h: Harness;
  let api: ScheduledServer;
  let svc: ScheduledServer;
  const clock = new Clock();
  // Start the simulated day at 08:00 UTC; the clock then moves only when the test advances it (plus the
  // few real seconds the run takes, which shift no sample across a window's edge).
  clock.offset = new Date('2026-11-26T08:00:00Z').getTime() - Date.now();
  const outcomes: Array<Record<string, unknown>> = [];

  const channel = () => h.fake.channelId('#platform-infra')!;

  beforeAll(async () => {
    // Request n is round n. The control plane fails in rounds 10–19; the service never does.
    api = await scheduledServer('readyz', (n) => (n >= 10 && n < 20 ? 'down' : 'up'));
    svc = await scheduledServer('health', () => 'up');
    const full = await defaultModel();
    // Staging only: the other environments' real hostnames are not reachable from a test.
    const model: Model = { ...full, environments: full.environments.filter((e) => e.name === 'staging') };
    const { store } = await openTestStore();
    h = await startHarness({ store, model, clock });
    const job = probeJob({
      env: { ENVC_PROBE_TARGETS: `staging=${api.url},staging/sample-service=${svc.url}` },
      timeoutMs: 2000,
    });
    const tick = async () => {
      const original = job.run.bind(job);
      let result: Record<string, unknown> | undefined;
      const outcome = await runTick(
        { ...job, run: async (d, t) => (result = await original(d, t)) },
        h.deps,
        clock.now(),
      );
      expect(outcome).toBe('ok');
      outcomes.push(result ?? {});
    };
    // 90 rounds a minute apart: the outage, the recovery, and an hour for the 1h window to forget it.
    for (let i = 0; i < 90; i++) {
      await tick();
      clock.advance(60_000);
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await h?.deps.store.close();
    await api?.close();
    await svc?.close();
  });

  it('probes every round and records every result', async () => {
    expect(api.requests).toHaveLength(90);
    const series = await h.deps.store.probeSeries('staging', new Date(0));
    expect(series).toHaveLength(180);
    expect(series.filter((s) => !s.ok)).toHaveLength(10);
  });

  it('opens one thread when the budget starts burning too fast, not before', () => {
    // Two requests a minute, so the hour expects 120 and the threshold (7.2%) is 8.64 failed requests.
    // Rounds 10–17 fail (1 … 8 failed: no alert — the first failures after start-up never page); round
    // 18 is the ninth (9/120 = 7.5%, and the 5-minute window 5/10): the 1h/5m pair pages. The slower pairs
    // compare 9 against 720 or more expected requests and stay quiet.
    expect(outcomes.slice(0, 18).map((o) => o.staging)).toEqual(Array(18).fill('ok'));
    expect(outcomes[18]!.staging).toBe('opened');
    expect(outcomes[19]!.staging).toBe('still');
    expect(h.fake.parents(channel())).toHaveLength(1);
  });

  it('keeps one parent message for the whole episode and replies only when the burn changes', () => {
    const parents = h.fake.parents(channel());
    expect(parents).toHaveLength(1);
    const replies = h.fake.replies(channel(), parents[0]!.ts);
    const kinds = outcomes.map((o) => o.staging).filter((k) => k !== 'ok' && k !== 'still');
    // Opened at round 18, resolved at round 24, when the 5-minute window (rounds 20–24) holds no failure.
    expect(kinds).toEqual(['opened', 'resolved']);
    expect(outcomes.findIndex((o) => o.staging === 'resolved')).toBe(24);
    // One reply per change, plus the resolution.
    expect(replies).toHaveLength(kinds.length - 1);
    expect(replies.at(-1)!.text).toBe('staging: error budget burn resolved');
    // The parent was updated in place on every round of the episode.
    const episodeRounds = outcomes.filter((o) => o.staging !== 'ok').length;
    expect(parents[0]!.history.length).toBe(episodeRounds);
  });

  it('the parent ends resolved and every message passes the Block Kit checks', () => {
    const parent = h.fake.parents(channel())[0]!;
    expect(parent.text).toBe('Availability of staging is back within its error budget');
    const first = parent.history[0]!;
    expect(first.text).toBe('Error budget of staging burning too fast (page): 1h/5m');
    expect(JSON.stringify(first.blocks)).toContain('control-plane');
    // The fake checks every Web API call against Slack's reference (methods, arguments, Block Kit limits).
    for (const m of h.fake.messages)
      expect(checkMessage({ text: m.text, blocks: m.blocks }).errors).toEqual([]);
    expect(h.fake.rejectedCalls()).toEqual([]);
    expect(h.fake.warnings).toEqual([]);
  });

  it('records the episode in the audit log: burn, changes, resolve', async () => {
    const entries = (await h.deps.store.listAudit({ env: 'staging', action: 'slo.*', limit: 100 })).reverse();
    expect(entries[0]!.action).toBe('slo.burn');
    expect(entries.at(-1)!.action).toBe('slo.resolve');
    expect(entries.slice(1, -1).every((e) => e.action === 'slo.change')).toBe(true);
    expect(entries.every((e) => e.actor === 'envc-bot')).toBe(true);
  });

  it('a later outage opens a new thread', async () => {
    const job = probeJob({
      env: { ENVC_PROBE_TARGETS: `staging=http://127.0.0.1:1,staging/sample-service=http://127.0.0.1:1` },
      timeoutMs: 500,
    });
    // Both targets down: 2 failed requests a minute; the fifth minute makes 10/120 = 8.3% > 7.2%.
    for (let i = 0; i < 4; i++) {
      await job.run(h.deps, clock.now());
      clock.advance(60_000);
    }
    expect(h.fake.parents(channel())).toHaveLength(1);
    await job.run(h.deps, clock.now());
    expect(h.fake.parents(channel())).toHaveLength(2);
  });
});
