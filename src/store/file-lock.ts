import { linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A cross-process lock file (atomic link) guarding the PGlite directory: PGlite is one process's
 * database at a time. A lock left by a process that died on this host (SIGKILL, OOM) is taken over at once.
 */
export interface FileLockOptions {
  /** Give up after this long (ms). */
  waitMs: number;
  pollMs?: number;
  signal?: AbortSignal;
}

interface Owner {
  pid: number;
  host: string;
  at: string;
}

export class StoreBusyError extends Error {}

export async function acquireFileLock(path: string, opts: FileLockOptions): Promise<() => void> {
  const deadline = Date.now() + opts.waitMs;
  const me: Owner = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
  let waiter: string | undefined;
  try {
    return await acquire(path, opts, deadline, me, () => {
      // Announce that we wait, so the holder hands the directory over as soon as it is idle (see hasWaiters).
      waiter ??= `${path}.wait.${process.pid}.${Math.random().toString(36).slice(2)}`;
      writeFileSync(waiter, '', { flag: 'a' });
    });
  } finally {
    if (waiter) {
      try {
        unlinkSync(waiter);
      } catch {
        // gone already
      }
    }
  }
}

/** True when another process waits for this lock (its marker names a live pid). Dead waiters' markers are removed. */
export function hasWaiters(path: string): boolean {
  const prefix = `${basename(path)}.wait.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path)).filter((n) => n.startsWith(prefix));
  } catch {
    return false;
  }
  for (const n of names) {
    const pid = Number(n.slice(prefix.length).split('.')[0]);
    if (!isDead({ pid, host: hostname(), at: '' })) return true;
    try {
      unlinkSync(join(dirname(path), n));
    } catch {
      // removed concurrently
    }
  }
  return false;
}

async function acquire(
  path: string,
  opts: FileLockOptions,
  deadline: number,
  me: Owner,
  announce: () => void,
): Promise<() => void> {
  for (;;) {
    // Write a private file, then link it into place: link() fails with EEXIST when the lock exists, and a
    // reader never sees a half-written owner.
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, JSON.stringify(me), { mode: 0o600 });
    try {
      linkSync(tmp, path);
      unlinkSync(tmp);
      return () => {
        try {
          const owner = readOwner(path);
          if (owner?.pid === me.pid && owner.host === me.host) unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (err) {
      unlinkSync(tmp);
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(path);
    if (owner === undefined || isDead(owner)) {
      // Stale (dead holder) or unreadable: remove and retry — after re-reading, so a lock another waiter
      // has just taken over is not removed by mistake.
      const again = readOwner(path);
      if (again === undefined || (owner !== undefined && again.pid === owner.pid && again.at === owner.at)) {
        try {
          unlinkSync(path);
        } catch {
          // someone else removed it first
        }
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StoreBusyError(
        `the store at ${path.replace(/\.lock$/, '')} is in use by process ${owner.pid} on ${owner.host} since ${owner.at}; ` +
          'PGlite serves one process at a time — retry, or use PostgreSQL (ENVC_STORE=postgres://…) for concurrent runners',
      );
    }
    opts.signal?.throwIfAborted();
    announce();
    await sleep(opts.pollMs ?? 50);
  }
}

function readOwner(path: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pid: -1, host: '', at: '' };
    return undefined;
  }
}

function isDead(o: Owner): boolean {
  if (o.pid === -1) return false; // vanished between our create and read: just retry the create
  if (o.host !== hostname()) return false;
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
