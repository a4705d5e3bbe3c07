import { createHmac } from 'node:crypto';

/**
 * Slack's request signing (request-signing.json#request_signing): `v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}` keyed with the app's signing secret, timestamp in Unix seconds.
 */
export function signature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  secret?: string;
  retryNum?: number;
  retryReason?: string;
  contentType?: string;
}

export function signedHeaders(
  secret: string,
  rawBody: string,
  opts: SignOptions = {},
): Record<string, string> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signature(opts.secret ?? secret, ts, rawBody),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  return headers;
}

/** A slash command as Slack form-encodes it (fields at top level). */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interaction as Slack form-encodes it (one `payload` field holding JSON). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed body to a Bolt HTTP endpoint; returns status and body text. */
export async function postSigned(
  url: string,
  secret: string,
  rawBody: string,
  opts: SignOptions = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: signedHeaders(secret, rawBody, opts),
    body: rawBody,
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
