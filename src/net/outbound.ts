/**
 * Failed outbound calls, reported the same way wherever they happen (Slack, the Linode API, the Kubernetes
 * API, ArgoCD, probes and webhooks): which service, the method, the host and — for APIs — the path, and the
 * HTTP status or the transport error. Never a query string, a header, a body or credentials in the URL: those
 * carry tokens. Webhook and probe URLs are secrets themselves (a Slack webhook's path is its key, a heartbeat
 * URL's path its token), so for them only the host is reported. The front ends choose where a report goes
 * (the bot's JSON log, the CLI's stderr); this module only shapes it. Pure apart from `reportingFetch`, which
 * wraps a fetch.
 */

export type OutboundService = 'slack' | 'linode' | 'kubernetes' | 'argocd' | 'probe' | 'webhook';

export interface OutboundFailure {
  service: OutboundService;
  method: string;
  host: string;
  /** The URL path for API calls; `/…` where the path itself is a secret (webhooks, probes). */
  path: string;
  /** The HTTP status, when the call got an answer. */
  status?: number;
  /** The transport error (ECONNREFUSED, a timeout, an abort), when it got none. */
  error?: string;
}

export type OutboundReporter = (f: OutboundFailure) => void;

/** Services whose URL path is not a secret (tokens travel in headers or bodies). */
const PATH_IS_PUBLIC: ReadonlySet<OutboundService> = new Set(['slack', 'linode', 'kubernetes', 'argocd']);

/** What may be said about a call: method, host (with port) and, for APIs, the path — nothing else of the URL. */
export function callSite(
  service: OutboundService,
  method: string,
  url: string | URL,
): Pick<OutboundFailure, 'service' | 'method' | 'host' | 'path'> {
  let host = '?';
  let path = '/…';
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    host = u.host;
    if (PATH_IS_PUBLIC.has(service)) path = u.pathname;
  } catch {
    // Not a URL: say nothing of it (it may be a secret).
  }
  return { service, method: method.toUpperCase(), host, path };
}

/** A transport error as a short code or message, with anything URL-like cut to its host. */
export function transportError(err: unknown): string {
  const e = err as {
    name?: string;
    code?: unknown;
    message?: string;
    cause?: { code?: unknown; message?: string };
  };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return e.name;
  const code = e?.cause?.code ?? e?.code;
  if (typeof code === 'string' && code) return code;
  const msg = String(e?.cause?.message ?? e?.message ?? err);
  return msg.replace(/\b(https?:\/\/)(?:[^\s/?#@]*@)?([^\s/?#]+)\S*/g, '$1$2/…').slice(0, 200);
}

/** An HTTP answer that is a failure (anything but 1xx–3xx). */
export function failedStatus(status: number): boolean {
  return !(status >= 100 && status < 400);
}

/** One line for a terminal or a text log. */
export function outboundLine(f: OutboundFailure): string {
  return `outbound call failed: ${f.service} ${f.method} ${f.host}${f.path} → ${f.status ?? f.error ?? 'no answer'}`;
}

/** A fetch that reports every failed call (an error status or no answer) and otherwise behaves as `base`. */
export function reportingFetch(
  service: OutboundService,
  report: OutboundReporter,
  base: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const site = callSite(service, method, url);
    try {
      const res = await base(input, init);
      if (failedStatus(res.status)) report({ ...site, status: res.status });
      return res;
    } catch (err) {
      report({ ...site, error: transportError(err) });
      throw err;
    }
  };
}
