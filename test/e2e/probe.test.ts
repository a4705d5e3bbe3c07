import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { type CliRun, ENVC_BIN } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';
import { type ScheduledServer, scheduledServer } from '../support/probe-servers.js';
import { prepareStoreDir } from '../support/store.js';

type ProbeJson = {
  environments: Array<{
    env: string;
    results: Array<{ target: string; ok: boolean; status: number | null; error: string | null; url: string }>;
    skipped: Array<{ target: string; reason: string }>;
    slo: {
      severity: string | null;
      budgetRemaining: number | null;
      availability: Record<string, { total: number; failed: number }>;
      windows: Array<{ id: string; firing: boolean }>;
    };
  }>;
};

/**
 * Runs the CLI without blocking this process: the servers it probes live in this process, so a
 * synchronous spawn would leave them unable to answer.
 */
function envc(args: string[], opts: { env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ENVC_DEBUG: undefined,
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENVC_BIN, ...args], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `envc probe` end to end: the real CLI, a real PGlite store (ENVC_STORE), local servers standing in for
 * staging's API server and its service's ingress, failing on a schedule.
 */
describe('envc probe', () => {
  let api: ScheduledServer;
  let svc: ScheduledServer;
  let store: string;
  const run = (args: string[]): Promise<CliRun> =>
    envc(
      [
        'probe',
        '--spec',
        DEFAULT_SPEC_PATH,
        '--env',
        'staging',
        '--target',
        `staging=${api.url}`,
        '--target',
        `staging/sample-service=${svc.url}`,
        '--json',
        ...args,
      ],
      {
        env: { ENVC_STORE: store },
      },
    );

  beforeAll(async () => {
    // The API server answers the first two rounds, then fails; the service fails its third request only.
    api = await scheduledServer('readyz', (n) => (n < 2 ? 'up' : 'down'));
    svc = await scheduledServer('health', (n) => (n === 2 ? 'down' : 'up'));
    store = join(mkdtempSync(join(tmpdir(), 'envc-probe-')), 'state');
    await prepareStoreDir(store);
  });
  afterAll(async () => {
    await api?.close();
    await svc?.close();
  });

  it('round 1: everything up, availability 100%, exit 0', async () => {
    const r = await run([]);
    expect(r.stderr).toContain('probing staging');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(out.environments).toHaveLength(1);
    const s = out.environments[0]!;
    expect(s.results.map((x) => [x.target, x.ok, x.status])).toEqual([
      ['control-plane', true, 200],
      ['service/sample-service', true, 200],
    ]);
    expect(s.results[1]!.url).toBe(`${svc.url}/healthz`);
    expect(s.slo.severity).toBeNull();
    expect(api.requests).toEqual(['/readyz']);
  });

  it('round 2: still up; the store now holds both rounds', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ProbeJson).environments[0]!.slo.availability['1h']).toEqual({
      total: 4,
      failed: 0,
      availability: 1,
    });
  });

  it('round 3: both fail, but two failed requests are no outage: nothing pages, exit 0', async () => {
    // Issue 13: one failed round used to report "error budget spent (30d): 20000.0%" and page. The budget
    // is a share of the requests the 30 days are expected to carry at the observed rate, not of the six
    // recorded so far.
    const r = await run([]);
    expect(r.code).toBe(0);
    const s = (JSON.parse(r.stdout) as ProbeJson).environments[0]!;
    expect(s.results.map((x) => [x.ok, x.error])).toEqual([
      [false, 'HTTP 500'],
      [false, 'HTTP 503'],
    ]);
    expect(s.slo.availability['1h']).toMatchObject({ total: 6, failed: 2 });
    expect(s.slo.severity).toBeNull();
    expect(s.slo.windows.some((w) => w.firing)).toBe(false);
    expect(s.slo.budgetRemaining).toBeGreaterThan(0.99);
  });

  it('--fail-on never exits 0; --fail-on down fails on a down target', async () => {
    expect((await run(['--fail-on', 'never'])).code).toBe(0);
    expect((await run(['--fail-on', 'down'])).code).toBe(1);
  });

  it('text output names the down target and the burn', async () => {
    const r = await envc(
      [
        'probe',
        '--spec',
        DEFAULT_SPEC_PATH,
        '--env',
        'staging',
        '--target',
        `staging=${api.url}`,
        '--target',
        `staging/sample-service=${svc.url}`,
      ],
      { env: { ENVC_STORE: store } },
    );
    expect(r.stdout).toMatch(/DOWN control-plane\s+\d+ ms\s+HTTP 500/);
    expect(r.stdout).toContain('burn rate: within budget');
    expect(r.stdout).toMatch(/error budget spent \(30d\): 0\.\d%/);
  });

  it('every result is in the store', async () => {
    const s = await openStore(store);
    try {
      const series = await s.probeSeries('staging', new Date(Date.now() - 3600_000));
      expect(series.length).toBe(12);
      expect(series.filter((x) => x.target === 'control-plane').map((x) => x.ok)).toEqual([
        true,
        true,
        false,
        false,
        false,
        false,
      ]);
      expect(series.find((x) => x.status === 503)).toMatchObject({
        target: 'service/sample-service',
        ok: false,
        error: 'HTTP 503',
      });
    } finally {
      await s.close();
    }
  });

  it('without a URL for a control plane it is skipped with the setting to fix it', async () => {
    const r = await envc(
      [
        'probe',
        '--spec',
        DEFAULT_SPEC_PATH,
        '--env',
        'production',
        '--target',
        `production/sample-service=${svc.url}`,
        '--json',
      ],
      {
        env: {
          ENVC_STORE: store,
          ENVC_KUBECONFIG_PRODUCTION: undefined,
          ENVC_KUBECONFIG_DIR: undefined,
          ENVC_API_SERVER_PRODUCTION: undefined,
        },
      },
    );
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.stdout) as ProbeJson).environments[0]!;
    expect(p.skipped).toEqual([
      {
        target: 'control-plane',
        reason:
          'no API server URL: set ENVC_API_SERVER_PRODUCTION or ENVC_KUBECONFIG_PRODUCTION, or pass --target production=<url>',
      },
    ]);
    expect(p.results.map((x) => x.target)).toEqual(['service/sample-service']);
  });

  it('usage errors: a malformed or unknown target, --env with --all', async () => {
    const base = ['probe', '--spec', DEFAULT_SPEC_PATH];
    const env = { ENVC_STORE: store };
    expect((await envc([...base, '--target', 'staging:http://x'], { env })).code).toBe(64);
    expect((await envc([...base, '--target', 'nowhere=http://127.0.0.1:1'], { env })).code).toBe(64);
    expect((await envc([...base, '--target', 'staging/nope=http://127.0.0.1:1'], { env })).code).toBe(64);
    expect((await envc([...base, '--env', 'staging', '--all'], { env })).code).toBe(64);
  });
});

describe('envc probe after a recorded outage', () => {
  it('pages through the fast pair and exits 1: 10 minutes down out of an hour of probes a minute apart', async () => {
    const api = await scheduledServer('readyz', () => 'down');
    const svc = await scheduledServer('health', () => 'up');
    const store = join(mkdtempSync(join(tmpdir(), 'envc-probe-')), 'state');
    try {
      const s = await openStore(store);
      const now = Date.now();
      for (let m = 60; m >= 1; m--) {
        const at = new Date(now - m * 60_000);
        await s.recordProbe({ env: 'staging', target: 'control-plane', ok: m > 10, latencyMs: 5, at });
        await s.recordProbe({ env: 'staging', target: 'service/sample-service', ok: true, latencyMs: 5, at });
      }
      await s.close();
      const r = await envc(
        [
          'probe',
          '--spec',
          DEFAULT_SPEC_PATH,
          '--env',
          'staging',
          '--target',
          `staging=${api.url}`,
          '--target',
          `staging/sample-service=${svc.url}`,
        ],
        { env: { ENVC_STORE: store } },
      );
      // 2 requests a minute → 120 expected in the hour; 11 failed = 9.2% > 7.2%; the last 5 minutes 5/10.
      expect(r.stdout).toContain('error budget burning too fast (page): 1h/5m > 14.4×');
      expect(r.code).toBe(1);
    } finally {
      await api.close();
      await svc.close();
    }
  });
});
