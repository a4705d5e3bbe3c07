/**
 * One HTTP GET with a deadline, over node:http/https (a custom CA per request — the control plane's
 * certificate is signed by the cluster's own CA — needs no extra dependency this way). The body is
 * drained and discarded: a probe only judges the status.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { callSite, failedStatus, type OutboundReporter, transportError } from '../net/outbound.js';

export interface HttpGetOptions {
  timeoutMs: number;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface HttpGetResult {
  status: number;
}

export type HttpGet = (url: string, opts: HttpGetOptions) => Promise<HttpGetResult>;

export const httpGet: HttpGet = (url, opts) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      u,
      {
        method: 'GET',
        headers: { 'user-agent': 'envc-probe', accept: '*/*' },
        ...(u.protocol === 'https:' ? { ca: opts.ca, rejectUnauthorized: !opts.insecureSkipTlsVerify } : {}),
        // A fresh connection per probe: a pooled socket would hide a listener that stopped accepting.
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });

/**
 * `get`, telling `report` of every probe that failed (an error status or no answer) — host only: a probed
 * URL's path may carry a token.
 */
export function reportingGet(get: HttpGet, report: OutboundReporter): HttpGet {
  return async (url, opts) => {
    try {
      const r = await get(url, opts);
      if (failedStatus(r.status)) report({ ...callSite('probe', 'GET', url), status: r.status });
      return r;
    } catch (err) {
      report({ ...callSite('probe', 'GET', url), error: transportError(err) });
      throw err;
    }
  };
}
