import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock, StoreBusyError } from './file-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'envc-flock-'));

describe('file lock', () => {
  it('is exclusive: a second taker waits until the first releases', async () => {
    const path = join(dir(), 'state.lock');
    const release = await acquireFileLock(path, { waitMs: 1000 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    let second = false;
    const p = acquireFileLock(path, { waitMs: 5000, pollMs: 10 }).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(second).toBe(false);
    release();
    const release2 = await p;
    expect(second).toBe(true);
    release2();
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock left by a dead process on this host', async () => {
    const path = join(dir(), 'state.lock');
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(path, JSON.stringify({ pid: Number(dead), host: hostname(), at: 'then' }));
    const release = await acquireFileLock(path, { waitMs: 200 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('gives up after waitMs on a live holder and names it', async () => {
    const path = join(dir(), 'state.lock');
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), at: '2030-01-01T00:00:00Z' }));
    const err = await acquireFileLock(path, { waitMs: 150, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreBusyError);
    expect((err as Error).message).toContain(`process ${process.ppid}`);
    expect((err as Error).message).toContain('ENVC_STORE=postgres://');
  });
});

describe('waiters', () => {
  it('a waiter announces itself while it waits and withdraws once it holds the lock', async () => {
    const { hasWaiters } = await import('./file-lock.js');
    const path = join(dir(), 'state.lock');
    const release = await acquireFileLock(path, { waitMs: 1000 });
    expect(hasWaiters(path)).toBe(false);
    const p = acquireFileLock(path, { waitMs: 5000, pollMs: 10 });
    await new Promise((r) => setTimeout(r, 60));
    expect(hasWaiters(path)).toBe(true);
    release();
    const release2 = await p;
    expect(hasWaiters(path)).toBe(false);
    release2();
  });

  it('ignores (and removes) the marker of a waiter that died', async () => {
    const { hasWaiters } = await import('./file-lock.js');
    const d = dir();
    const path = join(d, 'state.lock');
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(`${path}.wait.${dead}.abc`, '');
    expect(hasWaiters(path)).toBe(false);
    expect(existsSync(`${path}.wait.${dead}.abc`)).toBe(false);
  });
});
