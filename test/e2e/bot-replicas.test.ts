import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/bot/ids.js';
import { FIXTURE_STACKS, terraformEnv, terraformSkipReason } from '../../src/runner/test-harness.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';
import { defaultSlackOptions, GROUPS, SIGNING_SECRET, USERS } from '../support/slack/bot-harness.js';
import { DEFAULTS, FakeSlack, SlackUser } from '../support/slack/index.js';
import { postgresSkipReason, postgresUrl } from '../support/store.js';

/**
 * Two real `envc bot` processes (the built CLI) on one real PostgreSQL, the real runner on fixture stacks
 * (terraform_data, local backend), both sending to one local Slack:
 * - the drift job ticks in both every few seconds, but each tick runs once (advisory lock + tick marker):
 *   one incident, one parent message, no check reported twice;
 * - a plan requested through one replica is approved through the other, which applies it;
 * - SIGTERM stops both cleanly (exit 0).
 */
const skip = postgresSkipReason() ?? terraformSkipReason();
const repo = resolve(import.meta.dirname, '../..');

interface Replica {
  name: string;
  proc: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  stderr: string;
  user: SlackUser;
}

let fake: FakeSlack;
let work: string;
let dbUrl: string;
let dbName: string;
const replicas: Replica[] = [];

async function adminQuery(sql: string): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function tf(dir: string, args: string[]): void {
  execFileSync(process.env.ENVC_TERRAFORM ?? 'terraform', args, {
    cwd: dir,
    env: { ...process.env, ...terraformEnv() },
    stdio: 'pipe',
  });
}

async function startReplica(name: string): Promise<Replica> {
  const proc = spawn(
    process.execPath,
    [
      join(repo, 'bin/envc.js'),
      'bot',
      '--spec',
      join(work, 'environments.yaml'),
      '--stacks',
      join(work, 'stacks'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--schedule',
      'drift=*/3 * * * * *',
      '--log-level',
      'debug',
    ],
    {
      cwd: work,
      env: {
        ...process.env,
        ...terraformEnv(),
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_APP_TOKEN: '',
        SLACK_API_URL: fake.apiUrl,
        ENVC_STORE: dbUrl,
        ENVC_SLACK_USERGROUPS: `platform-leads=${GROUPS.leads},platform-oncall=${GROUPS.oncall}`,
        ENVC_GIT_COMMIT: '5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const r: Replica = { name, proc, port: 0, lines: [], stderr: '', user: undefined as unknown as SlackUser };
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i = buf.indexOf('\n');
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        r.lines.push(JSON.parse(line));
      } catch {
        r.lines.push({ raw: line });
      }
      i = buf.indexOf('\n');
    }
  });
  proc.stderr!.on('data', (d: Buffer) => {
    r.stderr += d.toString();
  });
  const port = await fake.waitFor(
    () => Number(r.stderr.match(/HTTP on :(\d+)\/slack\/events/)?.[1]) || (proc.exitCode !== null ? -1 : 0),
    `replica ${name} to listen`,
    30_000,
  );
  if (port < 0) throw new Error(`replica ${name} exited: ${r.stderr}`);
  r.port = port;
  r.user = new SlackUser(fake, {
    kind: 'http',
    url: `http://127.0.0.1:${port}/slack/events`,
    secret: SIGNING_SECRET,
  });
  return r;
}

beforeAll(async () => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'envc-bot-replicas-'));
  cpSync(DEFAULT_SPEC_PATH, join(work, 'environments.yaml'));
  cpSync(FIXTURE_STACKS, join(work, 'stacks'), { recursive: true });
  // Everything applied, then staging's and production's code changed behind envc's back.
  for (const env of ['system', 'development', 'staging', 'production']) {
    const dir = join(work, 'stacks', env);
    tf(dir, ['init', '-input=false', '-backend-config=backend.hcl']);
    tf(dir, ['apply', '-input=false', '-auto-approve']);
  }
  for (const env of ['staging', 'production']) {
    const main = join(work, 'stacks', env, 'main.tf');
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replace(/default = (\d+)/, (_m, n) => `default = ${Number(n) + 2}`),
    );
  }
  dbName = `envc_bot_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${dbName}`);
  const u = new URL(postgresUrl()!);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  fake = await FakeSlack.start(defaultSlackOptions());
  replicas.push(await startReplica('a'));
  replicas.push(await startReplica('b'));
}, 120_000);

afterAll(async () => {
  for (const r of replicas) if (r.proc.exitCode === null) r.proc.kill('SIGKILL');
  await fake?.close();
  if (dbName) await adminQuery(`drop database if exists ${dbName} with (force)`).catch(() => {});
});

describe.skipIf(skip)(`two bot processes on one PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('run each drift tick once, share approvals, and stop cleanly on SIGTERM', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const incidents = (env: string) =>
      fake
        .parents(DEFAULTS.channel.id)
        .filter(
          (m) =>
            String(m.text).startsWith(`Drift detected in ${env}`) ||
            String(m.text).startsWith(`Drift resolved in ${env}`),
        );

    // Drift: wait for the staging incident and at least two further checks of it.
    const stagingParent = await fake.waitFor(() => incidents('staging')[0], 'the staging incident', 60_000);
    await fake.waitFor(
      () => fake.replies(stagingParent.channel, stagingParent.ts).length >= 2,
      'two more staging checks',
      60_000,
    );

    // An approval requested through replica a …
    const plan = await a.user.slash(USERS.requester, 'plan production');
    expect(plan.status).toBe(200);
    const approval = await fake.waitFor(
      () => fake.parents(DEFAULTS.channel.id).find((m) => String(m.text).startsWith('Approval')),
      'the approval message',
      60_000,
    );
    // … is approved through replica b, which applies it.
    const views = fake.okCalls('views.open').length;
    await b.user.click(USERS.lead1, approval, ActionId.approve);
    await fake.waitFor(() => fake.okCalls('views.open').length > views, 'the confirmation modal from b');
    const viewId = String((fake.okCalls('views.open').at(-1)!.response.view as { id: string }).id);
    await b.user.submit(USERS.lead1, viewId);
    await fake.waitFor(
      () =>
        /^Approval applied for production/.test(String(fake.message(approval.channel, approval.ts)!.text)),
      'the apply by b',
      60_000,
    );
    expect(JSON.stringify(fake.message(approval.channel, approval.ts)!.blocks)).toContain(
      `Approved by <@${USERS.lead1}>`,
    );
    // The production incident (its code was not applied) is resolved by that apply at the next check.
    await fake.waitFor(
      () => incidents('production').some((m) => String(m.text).startsWith('Drift resolved in production')),
      'production resolved',
      60_000,
    );

    // One parent per incident, and no check reported twice.
    expect(incidents('staging')).toHaveLength(1);
    expect(incidents('production')).toHaveLength(1);
    const checks = fake
      .replies(stagingParent.channel, stagingParent.ts)
      .map((m) => Number(String(m.text).match(/check (\d+)/)?.[1]));
    expect(new Set(checks).size).toBe(checks.length);
    expect(fake.rejectedCalls()).toEqual([]);
    expect(fake.warnings).toEqual([]);

    // Graceful shutdown.
    const exits = [a, b].map(
      (r) => new Promise<number | null>((ok) => r.proc.once('exit', (code) => ok(code))),
    );
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([143, 143]); // 128 + SIGTERM, like every envc command
    // Every line is flushed now: each tick ran in exactly one replica.
    const ran = [...a.lines, ...b.lines]
      .filter((l) => l.msg === 'job ran' && l.job === 'drift')
      .map((l) => String(l.tick));
    expect(ran.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ran).size).toBe(ran.length);
    // Both replicas took part in the ticks (the advisory lock, not luck, kept them apart).
    const skipped = [...a.lines, ...b.lines].filter(
      (l) => l.job === 'drift' && /another replica|already ran/.test(String(l.msg)),
    );
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) {
      expect(r.lines.some((l) => l.msg === 'bot stopped' && l.drained === true)).toBe(true);
      expect(JSON.stringify(r.lines)).not.toContain(fake.botToken);
      expect(JSON.stringify(r.lines)).not.toContain(SIGNING_SECRET);
    }
  }, 180_000);
});
