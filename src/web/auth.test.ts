import { describe, expect, it } from 'vitest';
import { cookie, issueToken, NonceMemory, SIGNIN_TTL_S, verifyToken } from './auth.js';

const secret = 'pages-secret-0123456789';
const now = new Date('2026-12-02T12:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe('page sign-in tokens', () => {
  it('round-trips the Slack user for the purpose it was issued for', () => {
    const t = issueToken(secret, 'U0DEMOLENA', 'signin', now);
    expect(verifyToken(secret, t, 'signin', now)).toMatchObject({ ok: true, user: 'U0DEMOLENA' });
    expect(verifyToken(secret, t, 'session', now)).toEqual({ ok: false, why: 'not a session token' });
  });

  it('refuses a changed payload, another secret, garbage and an expired token', () => {
    const t = issueToken(secret, 'U0DEMORITA', 'signin', now);
    const [payload, mac] = t.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), u: 'U0DEMOLENA' }),
    ).toString('base64url');
    expect(verifyToken(secret, `${forged}.${mac}`, 'signin', now)).toEqual({
      ok: false,
      why: 'bad signature',
    });
    expect(verifyToken('other-secret', t, 'signin', now)).toEqual({ ok: false, why: 'bad signature' });
    expect(verifyToken(secret, 'nonsense', 'signin', now)).toEqual({ ok: false, why: 'malformed token' });
    expect(verifyToken(secret, t, 'signin', later(SIGNIN_TTL_S))).toEqual({ ok: false, why: 'expired' });
    expect(verifyToken(secret, t, 'signin', later(SIGNIN_TTL_S - 1)).ok).toBe(true);
  });

  it('accepts a sign-in nonce once', () => {
    const m = new NonceMemory();
    expect(m.claim('n1', 100 + now.getTime() / 1000, now)).toBe(true);
    expect(m.claim('n1', 100 + now.getTime() / 1000, now)).toBe(false);
    expect(m.claim('n2', 100 + now.getTime() / 1000, now)).toBe(true);
  });

  it('reads a cookie among others', () => {
    expect(cookie('a=1; envc_session=x%3Dy; b=2', 'envc_session')).toBe('x=y');
    expect(cookie(undefined, 'envc_session')).toBeUndefined();
  });
});
