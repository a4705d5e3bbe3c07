/**
 * The bot's outbound HTTP (the Slack Web API client's `fetch`): every failed call is logged with its
 * method and host — never the query, body or headers, which carry tokens — and every call in flight is
 * aborted when the bot shuts down, so a Slack API that never answers cannot hold SIGTERM hostage.
 */
import type { Log } from './log.js';

export interface Outbound {
  fetch: typeof fetch;
  /** Aborts every call in flight and every later one. */
  abortAll(): void;
}

export function outbound(log: Log): Outbound {
  const stop = new AbortController();
  const call: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const where = { method, host: url.host, path: url.pathname };
    const signal = init?.signal ? AbortSignal.any([init.signal, stop.signal]) : stop.signal;
    try {
      const res = await fetch(input, { ...init, signal });
      if (!res.ok) log.warn('outbound call failed', { ...where, status: res.status });
      return res;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      log.warn('outbound call failed', {
        ...where,
        error: stop.signal.aborted
          ? 'aborted: shutting down'
          : (e.cause?.code ?? e.cause?.message ?? e.message),
      });
      throw err;
    }
  };
  return { fetch: call, abortAll: () => stop.abort() };
}
