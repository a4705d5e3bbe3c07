/**
 * Sign in with Slack (OpenID Connect, authorization code flow) for the pages, beside the `/infra web` token:
 *
 * 1. GET /signin/slack: a fresh `state` and `nonce`, kept in a short-lived HMAC-signed cookie (nothing is
 *    stored server-side), and a redirect to Slack's authorize endpoint (from its discovery document) with
 *    scope `openid profile`, the app's client_id and redirect_uri (and `team` when one workspace is allowed).
 * 2. GET /signin/slack/callback?code&state: the state must equal the cookie's; the code is exchanged at
 *    openid.connect.token (client_secret_post); the id_token is verified with jose against Slack's JWKS
 *    (RS256, issuer, audience = client_id, expiry) and its nonce must equal the cookie's; the workspace must
 *    be the configured one; openid.connect.userInfo with the access token must name the same person. Then
 *    the same session cookie as the token path. Anything else: 401 with the reason, and no session.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { cookie, issueToken, SIGNIN_TTL_S, sessionCookie, verifyToken } from './auth.js';
import type { SlackSignIn } from './deps.js';
import { errorPage } from './layout.js';
import type { WebRoute } from './routes.js';

/** The scopes asked for (docs/slack-app-manifest.yaml grants exactly these user scopes). */
export const slackSignInScopes = ['openid', 'profile'];
const FLOW_COOKIE = 'envc_oidc';
const FLOW_PATH = '/signin/slack';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function slackSignInRoutes(
  cfg: SlackSignIn,
  o: { secret: string; secure: boolean; now(): Date },
): WebRoute[] {
  let discovery: Promise<Discovery> | undefined;
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const discover = () => {
    discovery ??= (async () => {
      const r = await fetch(`${cfg.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (!r.ok) throw new Error(`Slack's OpenID configuration answered HTTP ${r.status}`);
      const d = (await r.json()) as Discovery;
      if (d.issuer !== cfg.issuer) throw new Error(`the discovery document names issuer ${d.issuer}`);
      keys = createRemoteJWKSet(new URL(d.jwks_uri));
      return d;
    })();
    // A failed discovery is tried again by the next sign-in.
    discovery.catch(() => {
      discovery = undefined;
    });
    return discovery;
  };
  const flowCookie = (value: string, maxAge: number) =>
    `${FLOW_COOKIE}=${encodeURIComponent(value)}; Path=${FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${o.secure ? '; Secure' : ''}`;
  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      ...headers,
    });
    res.end(body);
  };
  const refuse = (res: ServerResponse, why: string) =>
    html(
      res,
      401,
      errorPage(401, `Sign in with Slack was refused: ${why}. Start again from /signin/slack.`),
      { 'set-cookie': flowCookie('', 0) },
    );

  const start = (_req: IncomingMessage, res: ServerResponse): void => {
    discover().then(
      (d) => {
        const state = randomBytes(18).toString('base64url');
        const nonce = randomBytes(18).toString('base64url');
        const to = new URL(d.authorization_endpoint);
        to.searchParams.set('response_type', 'code');
        to.searchParams.set('scope', slackSignInScopes.join(' '));
        to.searchParams.set('client_id', cfg.clientId);
        to.searchParams.set('state', state);
        to.searchParams.set('nonce', nonce);
        to.searchParams.set('redirect_uri', cfg.redirectUri);
        if (cfg.teamId) to.searchParams.set('team', cfg.teamId);
        const flow = issueToken(o.secret, `${state}.${nonce}`, 'oidc', o.now());
        res.writeHead(302, { location: to.toString(), 'set-cookie': flowCookie(flow, SIGNIN_TTL_S) });
        res.end();
      },
      (err: Error) => html(res, 503, errorPage(503, `Slack cannot be reached for sign-in: ${err.message}`)),
    );
  };

  const callback = (req: IncomingMessage, res: ServerResponse): void => {
    finish(req).then(
      (r) => {
        if (!r.ok) return refuse(res, r.why);
        const session = issueToken(o.secret, r.user, 'session', o.now());
        res.writeHead(303, {
          location: '/plans',
          'set-cookie': [sessionCookie(session, o.secure), flowCookie('', 0)],
        });
        res.end();
      },
      () => refuse(res, 'Slack could not be reached'),
    );
  };

  async function finish(
    req: IncomingMessage,
  ): Promise<{ ok: true; user: string } | { ok: false; why: string }> {
    const url = new URL(req.url ?? '/', 'http://pages.local');
    if (url.searchParams.get('error'))
      return { ok: false, why: `Slack answered "${url.searchParams.get('error')}"` };
    const flow = verifyToken(o.secret, cookie(req.headers.cookie, FLOW_COOKIE) ?? '', 'oidc', o.now());
    if (!flow.ok)
      return { ok: false, why: 'this browser did not start a sign-in here in the last 10 minutes' };
    const [state = '', nonce = ''] = flow.user.split('.');
    if (!same(state, url.searchParams.get('state') ?? ''))
      return { ok: false, why: 'the state does not match' };
    const d = await discover();
    const token = (await (
      await fetch(d.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: cfg.clientId,
          client_secret: cfg.clientSecret,
          code: url.searchParams.get('code') ?? '',
          redirect_uri: cfg.redirectUri,
          grant_type: 'authorization_code',
        }),
      })
    ).json()) as { ok?: boolean; error?: string; access_token?: string; id_token?: string };
    if (!token.ok || !token.id_token || !token.access_token)
      return { ok: false, why: `Slack did not accept the code (${token.error ?? 'no id_token'})` };
    let claims: JWTPayload;
    try {
      claims = (
        await jwtVerify(token.id_token, keys!, {
          issuer: cfg.issuer,
          audience: cfg.clientId,
          algorithms: ['RS256'],
          currentDate: o.now(),
        })
      ).payload;
    } catch (err) {
      return {
        ok: false,
        why: `the id_token is not valid (${(err as { code?: string }).code ?? 'unreadable'})`,
      };
    }
    if (typeof claims.nonce !== 'string' || !same(claims.nonce, nonce))
      return { ok: false, why: 'the id_token nonce does not match' };
    const team = claims['https://slack.com/team_id'];
    if (cfg.teamId && team !== cfg.teamId) return { ok: false, why: 'that is another Slack workspace' };
    const user = claims['https://slack.com/user_id'] ?? claims.sub;
    if (typeof user !== 'string' || !user) return { ok: false, why: 'the id_token names nobody' };
    const info = (await (
      await fetch(d.userinfo_endpoint, { headers: { authorization: `Bearer ${token.access_token}` } })
    ).json()) as { ok?: boolean; sub?: string };
    if (!info.ok || info.sub !== claims.sub)
      return { ok: false, why: 'openid.connect.userInfo does not confirm the person' };
    return { ok: true, user };
  }

  return [
    { path: FLOW_PATH, method: ['GET'], handler: start },
    { path: `${FLOW_PATH}/callback`, method: ['GET'], handler: callback },
  ];
}
