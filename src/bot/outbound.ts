/**
 * The bot's outbound HTTP (the Slack Web API client's `fetch`): every failed call is logged through the shared
 * reporter (src/net/outbound.ts: service, method, host, path, status or error — never the query, body or
 * headers, which carry tokens), and every call in flight is aborted when the bot shuts down, so a Slack API
 * that never answers cannot hold SIGTERM hostage.
 */
import { type OutboundReporter, reportingFetch } from '../net/outbound.js';
import type { Log } from './log.js';

export interface Outbound {
  fetch: typeof fetch;
  /** Aborts every call in flight and every later one. */
  abortAll(): void;
}

/** The bot's reporter: one warn line per failed call, whichever service it went to. */
export function outboundLog(log: Log): OutboundReporter {
  return (f) => log.warn('outbound call failed', { ...f });
}

export function outbound(log: Log): Outbound {
  const stop = new AbortController();
  const report = outboundLog(log);
  const reporting = reportingFetch('slack', (f) =>
    report(stop.signal.aborted && f.error ? { ...f, error: 'aborted: shutting down' } : f),
  );
  const call: typeof fetch = (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, stop.signal]) : stop.signal;
    return reporting(input, { ...init, signal });
  };
  return { fetch: call, abortAll: () => stop.abort() };
}
