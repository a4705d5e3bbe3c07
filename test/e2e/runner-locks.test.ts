/**
 * Environment locks across processes, end to end: a second apply waits for the holder and proceeds when it
 * lets go (on PGlite and on PostgreSQL), and an apply killed with SIGKILL mid-flight leaves a lock that is
 * recoverable (it expires by heartbeat) and a terraform state that is intact.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { freshSchemaName, postgresSkipReason, postgresUrl } from '../support/store.js';

const skip = terraformSkipReason();
const pgSkip = postgresSkipReason();

/** Resolves with stderr so far once a line matches (or rejects after `ms`). */
function waitForStderr(child: ChildProcess, re: RegExp, ms = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${re}; stderr so far:\n${buf}`)),
      ms,
    );
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (re.test(buf)) {
        clearTimeout(timer);
        resolve(buf);
      }
    });
  });
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

const backends = [
  { name: 'pglite', skip: undefined as string | undefined },
  { name: 'postgres', skip: pgSkip },
];

describe.skipIf(skip).each(backends)(
  'a second apply waits for the lock holder ($name)',
  ({ name, skip: backendSkip }) => {
    let store: Store | undefined;
    afterAll(async () => store?.close());

    it.skipIf(backendSkip)('waits while another process holds the lock, then applies', async () => {
      const url = name === 'postgres' ? `${postgresUrl()}?schema=${freshSchemaName()}` : undefined;
      const ws = await workspace({ envs: ['development'], ...(url ? { store: url } : {}) });
      expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
      store = await openStore(url ?? join(ws.dir, '.envc', 'state'));
      expect((await store.acquireLock('development', 'other-runner@ci:4242/abc', 600)).acquired).toBe(true);
      if (name === 'pglite') await store.close(); // free the directory for the CLI

      const child = ws.spawnEnvc([
        'apply',
        '--env',
        'development',
        '--stacks',
        'stacks',
        '--lock-wait',
        '2m',
      ]);
      const done = exited(child);
      await waitForStderr(child, /waiting for the lock held by other-runner@ci:4242\/abc/);
      expect(ws.state('development')).toBeUndefined();

      if (name === 'pglite') store = await openStore(join(ws.dir, '.envc', 'state'));
      expect(await store!.releaseLock('development', 'other-runner@ci:4242/abc')).toBe(true);
      if (name === 'pglite') {
        await store!.close();
        store = undefined;
      }
      const r = await done;
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^development {2}applied /m);
      expect(ws.state('development')?.resources).toHaveLength(3);
    });
  },
);

describe.skipIf(skip)('an apply killed with SIGKILL', () => {
  let ws: Workspace;

  it('leaves the lock recoverable by heartbeat expiry and the state intact', async () => {
    ws = await workspace({ envs: ['development'] });
    const ttl = { ENVC_LOCK_TTL: '4' };
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    expect((await ws.envc(['apply', '--env', 'development', '--stacks', 'stacks'])).code).toBe(0);
    const before = ws.state('development')!;

    // A resource whose creation takes a minute: the apply will be killed while terraform is inside it.
    const slow = join(ws.stacksDir, 'development', 'slow.tf');
    writeFileSync(
      slow,
      'resource "terraform_data" "slow" {\n  input = "slow"\n  provisioner "local-exec" {\n    command = "sleep 60"\n  }\n}\n',
    );
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    const child = ws.spawnEnvc(['apply', '--env', 'development', '--stacks', 'stacks', '--verbose'], ttl);
    const done = exited(child);
    await waitForStderr(child, /terraform_data\.slow: Provisioning with 'local-exec'/);
    process.kill(-child.pid!, 'SIGKILL'); // envc, terraform and the provisioner: the whole process group
    expect((await done).signal).toBe('SIGKILL');

    // The lock is still there, naming the dead holder: nobody released it.
    const status = await ws.envc(['lock', 'status', '--json']);
    const locks = JSON.parse(status.stdout).locks as Array<{ env: string; holder: string }>;
    expect(locks).toHaveLength(1);
    expect(locks[0]!.holder).toContain(`:${child.pid}/`);

    // The state is whole: valid JSON, same lineage, every resource of the last good apply.
    const after = JSON.parse(readFileSync(join(ws.stacksDir, 'development', 'terraform.tfstate'), 'utf8'));
    expect(after.lineage).toBe(before.lineage);
    expect(after.serial).toBeGreaterThanOrEqual(before.serial);
    for (const r of before.resources)
      expect(after.resources.map((x: { name: string }) => x.name)).toContain(r.name);

    // Recovery: a new plan (terraform's own state lock is not stuck) and an apply that takes the expired lock.
    rmSync(slow);
    const main = join(ws.stacksDir, 'development', 'main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace('default = 3', 'default = 5'));
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    const recovered = await ws.envc(
      ['apply', '--env', 'development', '--stacks', 'stacks', '--lock-wait', '1m'],
      ttl,
    );
    expect(recovered.code).toBe(0);
    expect(ws.state('development')!.lineage).toBe(before.lineage);
    expect((await ws.envc(['lock', 'status'])).stdout).toBe('no environment is locked\n');
  });
});
