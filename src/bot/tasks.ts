import type { Log } from './log.js';

/**
 * Work that continues after a listener acked (plans, drift checks, applies). Tracked so SIGTERM can wait
 * for it to finish (a half-posted approval is worse than a slow shutdown), and so a failure is logged
 * instead of becoming an unhandled rejection that would kill the process.
 */
export class Tasks {
  private running = new Set<Promise<void>>();
  private closed = false;

  constructor(private log: Log) {}

  get size(): number {
    return this.running.size;
  }

  /** Starts `fn` in the background. Refused (logged) once shutdown began. */
  run(name: string, fn: () => Promise<void>): Promise<void> {
    if (this.closed) {
      this.log.warn('background task refused: shutting down', { task: name });
      return Promise.resolve();
    }
    const p = (async () => {
      try {
        await fn();
      } catch (err) {
        this.log.error('background task failed', { task: name, error: err });
      }
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  /** Waits for every running task (or `timeoutMs`); no new task starts afterwards. */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((ok) => {
      timer = setTimeout(() => ok(false), timeoutMs);
    });
    const done = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true;
    })();
    const r = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return r;
  }
}
