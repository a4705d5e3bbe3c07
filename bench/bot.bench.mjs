// Slack bot: slash-command ack latency (p50/p99) under 50 concurrent correctly signed requests, for the
// real `envc bot` (HTTP receiver, request verification, the idempotency check in the store, the /infra
// dispatcher) and, in the same run, a bare Bolt app whose command handler only acks. Both run as their
// own process against the same local Slack Web API stub; latency is measured by the client (request sent →
// response received). Target: envc p99 under 100 ms and p99 ratio under 1.5.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envcBin, fmt, median, percentile, root } from './lib.mjs';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-0000-token';
const CONCURRENCY = 50;
const ROUNDS = 20;
const WARMUP_ROUNDS = 3;

/** The Web API as far as an acking bot needs it: auth.test, chat.* and response_url. */
function slackStub() {
  let seq = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop();
      res.writeHead(200, { 'content-type': 'application/json' });
      if (method === 'auth.test') {
        res.end(
          JSON.stringify({
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'acme',
            user: 'envc',
            team_id: 'T0BENCH',
            user_id: 'U0BOT',
            bot_id: 'B0BOT',
          }),
        );
      } else {
        seq += 1;
        res.end(
          JSON.stringify({
            ok: true,
            channel: 'C0BENCH',
            ts: `1700000000.${String(seq).padStart(6, '0')}`,
            message: {},
          }),
        );
      }
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

function sign(body) {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

async function fire(url, stubUrl, text) {
  const body = new URLSearchParams({
    command: '/infra',
    text,
    user_id: 'U0BENCH001',
    user_name: 'bench',
    channel_id: 'C0BENCH',
    team_id: 'T0BENCH',
    trigger_id: `${Date.now()}.${randomUUID()}`,
    response_url: `${stubUrl}/commands/T0BENCH/${randomUUID()}`,
    api_app_id: 'A0BENCH',
  }).toString();
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: sign(body), body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${url}`);
  return performance.now() - t0;
}

/**
 * Rounds of CONCURRENCY requests per target, interleaved (bare, envc help, envc status, bare, …) so that
 * whatever else the machine is doing weighs on all targets alike.
 */
async function measure(targets, stubUrl) {
  const samples = targets.map(() => []);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Rotate which target goes first, so none always follows another's leftover work.
    for (let k = 0; k < targets.length; k++) {
      const i = (round + k) % targets.length;
      const t = targets[i];
      const lat = await Promise.all(Array.from({ length: CONCURRENCY }, () => fire(t.url, stubUrl, t.text)));
      if (round >= WARMUP_ROUNDS) samples[i].push(...lat);
    }
  }
  return samples;
}

function startProcess(cmd, args, env, ready) {
  const proc = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((ok, fail) => {
    const onData = (d) => {
      out += d.toString();
      const port = out.match(ready)?.[1];
      if (port) ok({ proc, port: Number(port) });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => fail(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-2000)}`)));
  });
}

const BARE_APP = `
import bolt from '@slack/bolt';
const receiver = new bolt.HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: ['/slack/events'] });
const app = new bolt.App({ token: process.env.SLACK_BOT_TOKEN, receiver, clientOptions: { slackApiUrl: process.env.SLACK_API_URL }, logLevel: 'error' });
app.command('/infra', async ({ ack }) => { await ack(); });
const server = await app.start({ port: 0, host: '127.0.0.1' });
console.log('bare bolt listening on :' + server.address().port);
`;

export async function bench({ log }) {
  const stub = await slackStub();
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-bot-'));
  const bareFile = join(root, 'node_modules', '.cache', `bench-bare-bolt-${process.pid}.mjs`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  writeFileSync(bareFile, BARE_APP);
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: `${stub.url}/api/`,
    NO_COLOR: '1',
  };
  const procs = [];
  try {
    const bare = await startProcess(process.execPath, [bareFile], env, /listening on :(\d+)/);
    procs.push(bare.proc);
    const bot = await startProcess(
      process.execPath,
      [
        envcBin,
        'bot',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-jobs',
        '--log-level',
        'warn',
        '--spec',
        join(root, 'environments.yaml'),
      ],
      { ...env, ENVC_STORE: join(dir, 'state') },
      /HTTP on :(\d+)\/slack\/events/,
    );
    procs.push(bot.proc);

    const [bareSamples, helpSamples, statusSamples] = await measure(
      [
        { url: `http://127.0.0.1:${bare.port}/slack/events`, text: 'help' },
        { url: `http://127.0.0.1:${bot.port}/slack/events`, text: 'help' },
        { url: `http://127.0.0.1:${bot.port}/slack/events`, text: 'status staging' },
      ],
      stub.url,
    );
    const row = (name, xs) =>
      `  ${name.padEnd(34)} p50 ${fmt(median(xs)).padStart(9)}   p99 ${fmt(percentile(xs, 99)).padStart(9)}   (n=${xs.length})`;
    const load = (await import('node:os')).loadavg()[0].toFixed(1);
    log(
      `ack latency, ${CONCURRENCY} concurrent signed slash commands × ${ROUNDS} rounds (after ${WARMUP_ROUNDS} warm-up rounds; load average ${load})`,
    );
    log(row('bare Bolt app, empty handler', bareSamples));
    log(row('envc bot: /infra help', helpSamples));
    log(row('envc bot: /infra status staging', statusSamples));
    const ratio = (xs, p) =>
      p === 50 ? median(xs) / median(bareSamples) : percentile(xs, 99) / percentile(bareSamples, 99);
    log(
      `  ratio envc/bare  help: p50 ${ratio(helpSamples, 50).toFixed(2)}x, p99 ${ratio(helpSamples, 99).toFixed(2)}x   status: p50 ${ratio(statusSamples, 50).toFixed(2)}x, p99 ${ratio(statusSamples, 99).toFixed(2)}x`,
    );
    log(
      `  target: p99 < 100 ms (help ${percentile(helpSamples, 99) < 100 ? 'met' : 'MISSED'}), p99 ratio < 1.5 (help ${ratio(helpSamples, 99) < 1.5 ? 'met' : 'MISSED'})`,
    );
  } finally {
    for (const p of procs) {
      const exited = new Promise((ok) => p.once('exit', ok));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
    stub.server.close();
    (await import('node:fs')).rmSync(bareFile, { force: true });
  }
}
