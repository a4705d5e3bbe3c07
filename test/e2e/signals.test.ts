/**
 * Issue 13, item 3: SIGINT/SIGTERM stop new work at once, let running work finish or roll back (locks
 * released, state whole), print "interrupted" and exit 130/143. Real child processes, real terraform.
 * No timing: the tests wait for envc's own progress lines, then signal.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terraformSkipReason, workspace } from '../../src/runner/test-harness.js';

const skip = terraformSkipReason();

/** Resolves once stderr so far matches (the test's own deadline is vitest's). */
function whenStderr(child: ChildProcess, re: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (re.test(buf)) resolve();
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(skip)('signals', () => {
  it('Ctrl-C during `plan --all` starts no new init, says "interrupted" and exits 130', async () => {
    const ws = await workspace();
    const child = ws.spawnEnvc(['plan', '--all', '--stacks', 'stacks', '--parallel', '1']);
    const done = exited(child);
    await whenStderr(child, /envc: \w+: init/);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    const [, after] = r.stderr.split(/SIGINT received.*\n/);
    expect(after).toBeDefined();
    // After the signal, no environment begins terraform init.
    expect(after).not.toMatch(/envc: \w+: init/);
    // At most the running environment and the one finishing as the signal landed started; the rest did not.
    expect((r.stderr.match(/interrupted before it started/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('envc: interrupted (SIGINT)');
  });

  it('SIGTERM during an apply: terraform stops cleanly, the lock is released, state is whole, exit 143', async () => {
    const ws = await workspace({ envs: ['development'] });
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    expect((await ws.envc(['apply', '--env', 'development', '--stacks', 'stacks'])).code).toBe(0);
    const before = ws.state('development')!;
    writeFileSync(
      join(ws.stacksDir, 'development', 'slow.tf'),
      'resource "terraform_data" "slow" {\n  input = "slow"\n  provisioner "local-exec" {\n    command = "sleep 5"\n  }\n}\n',
    );
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    const child = ws.spawnEnvc(['apply', '--env', 'development', '--stacks', 'stacks', '--verbose']);
    const done = exited(child);
    await whenStderr(child, /terraform_data\.slow: Provisioning with 'local-exec'/);
    child.kill('SIGTERM'); // envc only: it passes the stop on to terraform
    const r = await done;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('envc: interrupted (SIGTERM)');
    expect((await ws.envc(['lock', 'status'])).stdout).toBe('no environment is locked\n');
    const after = JSON.parse(readFileSync(join(ws.stacksDir, 'development', 'terraform.tfstate'), 'utf8'));
    expect(after.lineage).toBe(before.lineage);
    for (const x of before.resources)
      expect(after.resources.map((y: { name: string }) => y.name)).toContain(x.name);
  });
});
