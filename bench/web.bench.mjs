// `envc demo` and the plan review page: time from starting `envc demo` to its first page (a fresh demo
// directory — the store is created — and a second start on the same directory), and the server time of the
// plan page of a 500-resource change (Server-Timing: its first view — `terraform show -json` already ran when
// the approval message's link was made — and then the median).
// Baseline: `envc --version` in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envcBin, fmt, median, timeCommand } from './lib.mjs';

const freePort = () =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

async function startDemo(dir, extra = []) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [envcBin, 'demo', '--port', String(port), '--dir', dir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}/`;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`envc demo exited ${child.exitCode}: ${stderr.slice(0, 1000)}`);
    const r = await fetch(url).catch(() => undefined);
    if (r?.status === 200) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const ms = performance.now() - t0;
  const stop = () =>
    new Promise((ok) => {
      child.once('exit', (code) => ok(code));
      child.kill('SIGINT');
    });
  return { url, ms, stop };
}

export async function bench({ log }) {
  const version = median(timeCommand(process.execPath, [envcBin, '--version'], { runs: 3 }));
  log(`  baseline envc --version: ${fmt(version)}`);
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-demo-'));
  try {
    const cold = await startDemo(dir, ['--scale', '500']);
    log(
      `  demo start → first page, new directory (store created): ${fmt(cold.ms)} (${(cold.ms / version).toFixed(1)}× --version; goal ≤ 5 s)`,
    );

    // A 500-resource change: staging with 500 extra stand-in resources, planned through the playground.
    const jar = { cookie: '' };
    const posted = await fetch(`${cold.url}playground/slash`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
      body: 'text=%2Finfra+plan+production',
      redirect: 'manual',
    }).catch((err) => {
      throw new Error(`posting /infra plan: ${err.message} (${err.cause?.message ?? 'no cause'})`);
    });
    await posted.text();
    let digest;
    const started = performance.now();
    while (!digest) {
      if (performance.now() - started > 600_000) throw new Error('no plan after 10 minutes');
      await new Promise((res) => setTimeout(res, 500));
      const html = await fetch(cold.url, { headers: jar })
        .then((r) => r.text())
        .catch(() => '');
      digest = /\/plans\/([0-9a-f]{64})/.exec(html)?.[1];
    }
    log(`  plan of production + 500 stand-in resources through the bot: ${fmt(performance.now() - started)}`);
    const times = [];
    let resources = 0;
    for (let i = 0; i < 8; i++) {
      const r = await fetch(`${cold.url}plans/${digest}`);
      resources = ((await r.text()).match(/<details class="res" data-address=/g) ?? []).length;
      times.push(Number(/render;dur=([\d.]+)/.exec(r.headers.get('server-timing') ?? '')?.[1]));
    }
    log(
      `  plan page (${resources} resources) server time: first view ${fmt(times[0])} (terraform show -json ran when the message's link was made), then median ${fmt(median(times.slice(1)))} (goal ≤ 200 ms)`,
    );
    const code = await cold.stop();
    log(`  Ctrl-C → exit ${code}`);

    const warm = await startDemo(dir);
    log(
      `  demo start → first page, same directory again: ${fmt(warm.ms)} (${(warm.ms / version).toFixed(1)}× --version)`,
    );
    await warm.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
