import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Sign-in for the pages, by a token the bot issues (`/infra web`): `<payload>.<mac>`, payload = base64url
 * JSON `{ u: slack user, p: purpose, exp: unix seconds, n: nonce }`, mac = HMAC-SHA256 with the pages'
 * secret. A sign-in token lives 10 minutes and is accepted once (its nonce is remembered until it
 * expires); it is exchanged for a session cookie (12 hours, HttpOnly, SameSite=Lax). Nothing is stored:
 * rotating the secret signs everybody out. Pure except for the nonce memory and the random nonce.
 */
/** `oidc`: the state and nonce of a Sign in with Slack in progress (a cookie until Slack sends the person back). */
export type Purpose = 'signin' | 'session' | 'oidc';

export const SIGNIN_TTL_S = 600;
export const SESSION_TTL_S = 12 * 3600;
export const SESSION_COOKIE = 'envc_session';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function issueToken(secret: string, user: string, purpose: Purpose, now: Date): string {
  const ttl = purpose === 'session' ? SESSION_TTL_S : SIGNIN_TTL_S;
  const payload = b64(
    JSON.stringify({
      u: user,
      p: purpose,
      exp: Math.floor(now.getTime() / 1000) + ttl,
      n: randomBytes(9).toString('base64url'),
    }),
  );
  return `${payload}.${mac(secret, payload)}`;
}

export type Verified = { ok: true; user: string; nonce: string; exp: number } | { ok: false; why: string };

export function verifyToken(secret: string, token: string, purpose: Purpose, now: Date): Verified {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return { ok: false, why: 'malformed token' };
  const want = Buffer.from(mac(secret, payload));
  const got = Buffer.from(given);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, why: 'bad signature' };
  let body: { u?: unknown; p?: unknown; exp?: unknown; n?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'malformed token' };
  }
  if (body.p !== purpose) return { ok: false, why: `not a ${purpose} token` };
  if (typeof body.u !== 'string' || typeof body.exp !== 'number' || typeof body.n !== 'string')
    return { ok: false, why: 'malformed token' };
  if (body.exp <= now.getTime() / 1000) return { ok: false, why: 'expired' };
  return { ok: true, user: body.u, nonce: body.n, exp: body.exp };
}

/** Remembers used sign-in nonces until they expire, so a link works once (per bot process). */
export class NonceMemory {
  private used = new Map<string, number>();
  /** True the first time a nonce is seen. */
  claim(nonce: string, exp: number, now: Date): boolean {
    const t = now.getTime() / 1000;
    for (const [n, e] of this.used) if (e <= t) this.used.delete(n);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, exp);
    return true;
  }
}

/** Reads one cookie from a Cookie header. */
export function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_S}${secure ? '; Secure' : ''}`;
}
