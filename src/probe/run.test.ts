import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryProbeStore, type ScheduledServer, scheduledServer } from '../../test/support/probe-servers.js';
import { httpGet } from './http.js';
import { type EnvironmentProbe, probeEnvironment, probeTarget } from './run.js';
import type { ProbeTarget } from './targets.js';

const T0 = new Date('2026-11-26T00:00:00Z').getTime();

describe('probe rounds against servers that fail on a schedule', () => {
  let api: ScheduledServer;
  let svc: ScheduledServer;
  const store = memoryProbeStore();
  const rounds: EnvironmentProbe[] = [];

  beforeAll(async () => {
    // One round per simulated minute. The control plane fails in rounds 20–29 and hangs in round 30;
    // the service drops its connection in rounds 25–26.
    api = await scheduledServer('readyz', (n) => (n >= 20 && n < 30 ? 'down' : n === 30 ? 'hang' : 'up'));
    svc = await scheduledServer('health', (n) => (n === 25 || n === 26 ? 'reset' : 'up'));
    const targets: ProbeTarget[] = [
      { env: 'staging', target: 'control-plane', url: `${api.url}/readyz` },
      { env: 'staging', target: 'service/sample-service', url: `${svc.url}/healthz` },
    ];
    for (let round = 0; round < 70; round++) {
      const now = new Date(T0 + round * 60_000);
      rounds.push(
        await probeEnvironment('staging', targets, [], 99.5, {
          store,
          http: httpGet,
          now: () => now,
          monotonic: () => performance.now(),
          timeoutMs: 300,
        }),
      );
    }
  });
  afterAll(async () => {
    await api?.close();
    await svc?.close();
  });

  it('hits /readyz and the health path once per round', () => {
    expect(api.requests.length).toBe(70);
    expect(new Set(api.requests)).toEqual(new Set(['/readyz']));
    expect(new Set(svc.requests)).toEqual(new Set(['/healthz']));
  });

  it('records every result with its time, status and error', () => {
    expect(store.rows).toHaveLength(140);
    const cp = store.rows.filter((r) => r.target === 'control-plane');
    expect(cp.map((r) => r.ok)).toEqual(Array.from({ length: 70 }, (_, n) => !(n >= 20 && n <= 30)));
    expect(cp[20]).toMatchObject({
      ok: false,
      status: 500,
      error: 'HTTP 500',
      at: new Date(T0 + 20 * 60_000),
    });
    expect(cp[30]).toMatchObject({ ok: false, error: 'no answer within 300 ms' });
    expect(cp[30]!.status).toBeUndefined();
    const s = store.rows.filter((r) => r.target === 'service/sample-service');
    expect(s[25]).toMatchObject({ ok: false, error: 'ECONNRESET' });
    expect(s[24]).toMatchObject({ ok: true, status: 200 });
    expect(s.filter((r) => !r.ok)).toHaveLength(2);
  });

  it('nothing fires while everything is up', () => {
    expect(rounds[19]!.slo.firing).toEqual([]);
    expect(rounds[19]!.slo.availability['1h']).toMatchObject({ total: 40, failed: 0 });
  });

  it('the outage pages through the fast pair only: 12 failed of 120 expected in the hour', () => {
    // Round 29: 2 requests a minute (two targets) → the 1h window expects 120; 12 failed = 10% > 7.2%;
    // the last 5 minutes: 7 of 10. The slower pairs compare 12 against 720, 2 880 and 8 640 expected
    // requests (1.7% < 3%, 0.4% < 1.5%, 0.14% < 0.5%): an 11-minute outage is not a 6-hour burn.
    const r = rounds[29]!;
    expect(r.slo.availability['1h']).toMatchObject({ total: 60, failed: 12, expected: 120 });
    expect(r.slo.windows[0]!.long.errorRatio).toBeCloseTo(0.1, 12);
    expect(r.slo.windows[0]!.short).toMatchObject({ total: 10, failed: 7, expected: 10 });
    expect(r.slo.firing.map((w) => w.id)).toEqual(['1h-5m']);
    expect(r.slo.severity).toBe('page');
  });

  it('ten minutes after recovery nothing fires: the short window is clean', () => {
    const r = rounds[40]!;
    expect(r.slo.windows[0]!.long.errorRatio).toBeCloseTo(13 / 120, 12);
    expect(r.slo.windows[0]!.short.failed).toBe(0);
    expect(r.slo.firing).toEqual([]);
  });

  it('the outage spent 3% of the 30-day budget: 13 failed of 86 400 expected requests', () => {
    const r = rounds[69]!;
    expect(r.slo.firing).toEqual([]);
    expect(r.slo.availability['1d']).toMatchObject({ total: 140, failed: 13 });
    expect(r.slo.availability['30d'].expected).toBeCloseTo(86_400, 6);
    // budget: 0.5% of 86 400 = 432 requests; 13 / 432 = 3.0%.
    expect(1 - r.slo.budgetRemaining!).toBeCloseTo(13 / 432, 12);
  });
});

describe('probeTarget', () => {
  it('reports a refused connection as down with its error code', async () => {
    const server = await scheduledServer('health', () => 'up');
    const url = `${server.url}/healthz`;
    await server.close();
    const r = await probeTarget(
      { env: 'development', target: 'service/x', url },
      {
        store: memoryProbeStore(),
        http: httpGet,
        now: () => new Date(T0),
        monotonic: () => performance.now(),
        timeoutMs: 1000,
      },
    );
    expect(r).toMatchObject({ ok: false, error: 'ECONNREFUSED', env: 'development', target: 'service/x' });
  });

  it('treats a redirect as down: a health check must answer itself', async () => {
    const r = await probeTarget(
      { env: 'd', target: 't', url: 'http://127.0.0.1:1/healthz' },
      {
        store: memoryProbeStore(),
        http: async () => ({ status: 302 }),
        now: () => new Date(T0),
        monotonic: () => 0,
        timeoutMs: 1000,
      },
    );
    expect(r).toMatchObject({ ok: false, status: 302, error: 'HTTP 302' });
  });
});
