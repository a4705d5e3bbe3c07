/**
 * One apply per environment: a lock in the store (on top of terraform's own state lock) held with a
 * heartbeat. A holder that dies stops heartbeating, so its lock expires after `ttlSeconds` and the next
 * apply takes over — no manual cleanup needed, and `envc lock release --force` exists for the impatient.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnvLock, Store } from '../store/types.js';

export interface LockOptions {
  ttlSeconds: number;
  /** How long to wait for another holder (0: refuse at once). */
  waitMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Called once when we start waiting, with the current holder. */
  onWait?: (lock: EnvLock) => void;
}

export type Locked<T> = { ok: true; value: T } | { ok: false; lock: EnvLock };

/** `actor@host:pid/nonce`: unique per acquisition, readable by people. */
export function holderName(actor: string): string {
  return `${actor}@${hostname()}:${process.pid}/${randomBytes(3).toString('hex')}`;
}

export async function withEnvLock<T>(
  store: Pick<Store, 'acquireLock' | 'heartbeat' | 'releaseLock'>,
  env: string,
  actor: string,
  opts: LockOptions,
  fn: (lost: AbortSignal) => Promise<T>,
): Promise<Locked<T>> {
  const holder = holderName(actor);
  const deadline = Date.now() + opts.waitMs;
  let waiting = false;
  for (;;) {
    const r = await store.acquireLock(env, holder, opts.ttlSeconds, new Date());
    if (r.acquired) break;
    if (Date.now() >= deadline) return { ok: false, lock: r.lock };
    if (!waiting) {
      waiting = true;
      opts.onWait?.(r.lock);
    }
    opts.signal?.throwIfAborted();
    await sleep(Math.min(opts.pollMs ?? 500, Math.max(50, deadline - Date.now())));
  }
  const lost = new AbortController();
  const beat = setInterval(
    () => {
      store.heartbeat(env, holder, new Date()).then(
        (still) => {
          if (!still) lost.abort(new Error(`the lock of ${env} was taken over (heartbeat missed)`));
        },
        () => {
          // A store hiccup: the next beat retries; the TTL leaves room for a few misses.
        },
      );
    },
    Math.max(200, (opts.ttlSeconds * 1000) / 3),
  );
  try {
    return { ok: true, value: await fn(lost.signal) };
  } finally {
    clearInterval(beat);
    await store.releaseLock(env, holder).catch(() => false);
  }
}

export function describeLock(lock: EnvLock, now = new Date()): string {
  const left = Math.max(0, Math.round((lock.expiresAt.getTime() - now.getTime()) / 1000));
  return `held by ${lock.holder} since ${lock.since.toISOString()} (last heartbeat ${lock.heartbeatAt.toISOString()}; expires in ${left}s without one)`;
}
