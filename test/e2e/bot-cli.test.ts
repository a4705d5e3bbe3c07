import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVC_BIN, envc, STACK_LINE } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';
import { defaultSlackOptions } from '../support/slack/bot-harness.js';
import { FakeSlack, SlackUser } from '../support/slack/index.js';
import { prepareStoreDir } from '../support/store.js';

/** `envc bot` as a user starts it: settings checked up front, Socket Mode from SLACK_APP_TOKEN, SIGTERM. */
const clean = {
  SLACK_BOT_TOKEN: undefined,
  SLACK_APP_TOKEN: undefined,
  SLACK_SIGNING_SECRET: undefined,
  SLACK_API_URL: undefined,
};

describe('envc bot (CLI)', () => {
  it('documents its environment in --help', () => {
    const r = envc(['bot', '--help']);
    expect(r.code).toBe(0);
    for (const v of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'ENVC_STORE',
      '/healthz',
      '--schedule',
    ])
      expect(r.stdout).toContain(v);
  });

  it('refuses to start without tokens, naming what to set (exit 64, no stack trace, no secret echoed)', () => {
    const none = envc(['bot'], { env: clean });
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('SLACK_BOT_TOKEN is not set');
    expect(none.stderr).toContain(
      'set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for the HTTP receiver',
    );
    const wrong = envc(['bot', '--schedule', 'drift'], {
      env: { ...clean, SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 's' },
    });
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toContain('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
    expect(wrong.stderr).toContain('--schedule takes NAME=CRON');
    expect(wrong.stderr).not.toContain('xoxp-user-token-secret');
    expect(wrong.stderr).not.toMatch(STACK_LINE);
  });

  it('runs in Socket Mode with an app token, answers /infra help over the socket, and stops on SIGTERM', async () => {
    const fake = await FakeSlack.start(defaultSlackOptions());
    const work = mkdtempSync(join(tmpdir(), 'envc-bot-cli-'));
    await prepareStoreDir(join(work, 'state'));
    const proc = spawn(
      process.execPath,
      [ENVC_BIN, 'bot', '--spec', DEFAULT_SPEC_PATH, '--port', '0', '--host', '127.0.0.1', '--no-jobs'],
      {
        cwd: work,
        env: {
          ...process.env,
          ...clean,
          NO_COLOR: '1',
          SLACK_BOT_TOKEN: fake.botToken,
          SLACK_APP_TOKEN: fake.appToken,
          SLACK_API_URL: fake.apiUrl,
          ENVC_STORE: join(work, 'state'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    try {
      await fake.socket.waitForConnections(1, 30_000);
      await fake.waitFor(
        () => /envc bot: Socket Mode; health on :\d+\/healthz/.test(err),
        'the start-up line',
        30_000,
      );
      const user = new SlackUser(fake, { kind: 'socket' });
      const help = await user.slash('U0ANYONE01', 'help');
      expect(JSON.stringify(help.ack)).toContain('/infra usage');
      const port = Number(err.match(/health on :(\d+)/)![1]);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const exited = new Promise<number | null>((ok) => proc.once('exit', (c) => ok(c)));
      proc.kill('SIGTERM');
      expect(await exited).toBe(143);
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['bot started', 'bot stopping', 'bot stopped']),
      );
      expect(out).not.toContain(fake.appToken);
      expect(out).not.toContain(fake.botToken);
      expect(fake.rejectedCalls()).toEqual([]);
      expect(fake.okCalls('apps.connections.open')).toHaveLength(1);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await fake.close();
    }
  }, 60_000);

  it('SIGTERM while Slack never answers: the bot stops at once and logged each failed call with host and method', async () => {
    // A port nothing listens on stands in for an unreachable slack.com (the issue: fake token, no network,
    // the bot ignored SIGTERM for over a minute and logged only "http request failed fetch failed").
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const work = mkdtempSync(join(tmpdir(), 'envc-bot-cli-'));
    await prepareStoreDir(join(work, 'state'));
    const proc = spawn(
      process.execPath,
      [ENVC_BIN, 'bot', '--spec', DEFAULT_SPEC_PATH, '--port', '0', '--host', '127.0.0.1', '--no-jobs'],
      {
        cwd: work,
        env: {
          ...process.env,
          ...clean,
          NO_COLOR: '1',
          SLACK_BOT_TOKEN: 'xoxb-fake-token-never-valid',
          SLACK_SIGNING_SECRET: 'signing-secret-never-valid',
          SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
          ENVC_STORE: join(work, 'state'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((ok) => proc.once('exit', (c) => ok(c)));
    try {
      // Wait until the first call has failed (logged), then stop the bot while it retries.
      await new Promise<void>((resolve) => {
        const check = () => (/outbound call failed/.test(out) ? resolve() : proc.stdout.once('data', check));
        check();
      });
      proc.kill('SIGTERM');
      expect(await exited).toBe(143);
      const failed = out
        .split('\n')
        .filter((l) => l.includes('outbound call failed'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(failed[0]).toMatchObject({
        method: 'POST',
        host: `127.0.0.1:${closed}`,
        path: '/api/auth.test',
      });
      expect(failed[0]!.error).toBe('ECONNREFUSED');
      expect(out).not.toContain('xoxb-fake-token-never-valid');
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  }, 60_000);
});
