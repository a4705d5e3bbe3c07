/**
 * `envc demo` as a process: it prints one URL on 127.0.0.1 that serves the playground, Ctrl-C (SIGINT) exits
 * 130 and SIGTERM 143 — also before anybody opened the page (the Kubernetes stand-ins, which start after the
 * first page, never start then) — and a temporary directory is removed, a --dir kept.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENVC_BIN, STACK_LINE } from '../support/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `envc demo`, resolves with its URL once it printed it. */
function start(args: string[]) {
  const child = spawn(process.execPath, [ENVC_BIN, 'demo', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) ok(m[1]!);
    });
    void exited.then((code) => fail(new Error(`envc demo exited ${code}: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('envc demo (process)', () => {
  it('serves the playground on 127.0.0.1 and exits 130 on Ctrl-C, keeping --dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envc-demo-cli-'));
    dirs.push(dir);
    const demo = start(['--dir', dir]);
    const url = await demo.url;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('# platform-infra');
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(130);
    expect(demo.output().stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'generated', 'manifest.json'))).toBe(true);
  }, 120_000);

  it('exits 143 on SIGTERM before any page was opened, and removes its temporary directory', async () => {
    const demo = start([]);
    await demo.url;
    const dir = /state in (\S+)/.exec(demo.output().stderr)?.[1];
    expect(dir && existsSync(dir)).toBe(true);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(143);
    expect(existsSync(dir!)).toBe(false);
  }, 120_000);
});
