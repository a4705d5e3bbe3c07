/**
 * Sign in with Slack (OpenID Connect), as Slack publishes it (docs.slack.dev: "Sign in with Slack",
 * openid.connect.token, openid.connect.userInfo):
 *
 * - discovery at /.well-known/openid-configuration (issuer, endpoints, jwks_uri, RS256, scopes openid/email/
 *   profile, response_type code); the public keys at /openid/connect/keys;
 * - /openid/connect/authorize: `response_type=code`, `scope` with `openid` and only the app's user scopes
 *   (docs/slack-app-manifest.yaml), the app's `client_id`, a
 *   `redirect_uri` among the app's redirect URLs; `state` and `nonce` are passed through. Slack shows the
 *   signed-in person a consent screen: here a form to choose which workspace member signs in. Allowing
 *   redirects to `redirect_uri?code=…&state=…`; a bad client or redirect URI is an error page, never a redirect;
 * - openid.connect.token (form or JSON body): the code once, within 10 minutes, with the same client_id,
 *   client_secret and redirect_uri → `{ok, access_token, token_type: "Bearer", id_token}`; errors as the Web
 *   API answers them (HTTP 200, `{ok:false, error}`): invalid_code, bad_redirect_uri, invalid_client_id,
 *   bad_client_secret;
 * - openid.connect.userInfo with the access token → the user's claims (`sub`, `https://slack.com/user_id`,
 *   `https://slack.com/team_id`, email, name); invalid_auth otherwise.
 * The id_token is an RS256 JWT with Slack's claims (iss, sub, aud = client_id, exp, iat, auth_time, nonce,
 * the https://slack.com/* claims). Test controls make the next id_token forged (signed by a key the issuer
 * does not publish, under its kid) or expired.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { manifestUserScopes } from './types.js';

export interface OidcApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** The app's user scopes (default: docs/slack-app-manifest.yaml's). */
  scopes: string[];
}

interface Grant {
  user: string;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  scopes: string[];
  issuedAt: number;
  used: boolean;
}

const CODE_TTL_MS = 10 * 60_000;
const ID_TOKEN_TTL_S = 300;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class SlackOidc {
  readonly app: OidcApp;
  private codes = new Map<string, Grant>();
  private accessTokens = new Map<string, Grant>();
  private next: Array<'forged' | 'expired'> = [];
  private constructor(
    private origin: () => string,
    private teamId: string,
    private users: Record<string, { name: string; email?: string }>,
    private key: { privateKey: CryptoKey; jwk: JWK },
    private forger: CryptoKey,
    app: Partial<OidcApp>,
  ) {
    this.app = {
      clientId: app.clientId ?? '2141029472.691202649728',
      clientSecret: app.clientSecret ?? randomBytes(16).toString('hex'),
      redirectUris: app.redirectUris ?? [],
      scopes: app.scopes ?? manifestUserScopes(),
    };
  }

  static async create(o: {
    origin: () => string;
    teamId: string;
    users: Record<string, { name: string; email?: string }>;
    app?: Partial<OidcApp>;
  }): Promise<SlackOidc> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'slack-standin-1', alg: 'RS256', use: 'sig' };
    return new SlackOidc(o.origin, o.teamId, o.users, { privateKey, jwk }, other.privateKey, o.app ?? {});
  }

  get issuer(): string {
    return this.origin();
  }

  /** Test control: the next id_token is signed by a key the issuer does not publish, or already expired. */
  nextIdToken(kind: 'forged' | 'expired'): void {
    this.next.push(kind);
  }

  /** Handles the OIDC paths; false when `path` is not one of them. */
  handle(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): boolean {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const o = this.issuer;
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        json(200, {
          issuer: o,
          authorization_endpoint: `${o}/openid/connect/authorize`,
          token_endpoint: `${o}/api/openid.connect.token`,
          userinfo_endpoint: `${o}/api/openid.connect.userInfo`,
          jwks_uri: `${o}/openid/connect/keys`,
          scopes_supported: ['openid', 'profile', 'email'],
          response_types_supported: ['code'],
          response_modes_supported: ['form_post'],
          grant_types_supported: ['authorization_code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'auth_time', 'iss'],
          claims_parameter_supported: false,
          request_parameter_supported: false,
          request_uri_parameter_supported: true,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        });
        return true;
      case '/openid/connect/keys':
        json(200, { keys: [this.key.jwk] });
        return true;
      case '/openid/connect/authorize':
        this.authorize(url, req, raw, res);
        return true;
      case '/api/openid.connect.token':
        void this.token(req, raw).then((body) => json(200, body));
        return true;
      case '/api/openid.connect.userInfo':
        json(200, this.userInfo(req, raw));
        return true;
      default:
        return false;
    }
  }

  private authorize(url: URL, req: IncomingMessage, raw: string, res: ServerResponse) {
    const q = req.method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
    const page = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><title>Slack</title></head><body>${body}</body></html>`);
    };
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (clientId !== this.app.clientId) return page(400, '<h1>Invalid client_id parameter</h1>');
    if (!this.app.redirectUris.includes(redirectUri))
      return page(400, '<h1>redirect_uri did not match any configured URIs</h1>');
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      if (q.get('state') !== null) to.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: to.toString() });
      res.end();
    };
    const scopes = (q.get('scope') ?? '').split(/[ ,+]+/).filter(Boolean);
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    if (!scopes.includes('openid') || scopes.some((x) => !this.app.scopes.includes(x)))
      return back({ error: 'invalid_scope' });
    if (req.method !== 'POST') {
      const hidden = [...url.searchParams]
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join('');
      const options = Object.entries(this.users)
        .map(([id, u]) => `<option value="${esc(id)}">${esc(u.name)}</option>`)
        .join('');
      return page(
        200,
        `<h1>Sign in to your workspace</h1><form method="post" action="/openid/connect/authorize">${hidden}<label for="user">Signed in to Slack as</label> <select id="user" name="user">${options}</select> <button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny">Cancel</button></form>`,
      );
    }
    if (q.get('decision') !== 'allow') return back({ error: 'access_denied' });
    const user = q.get('user') ?? '';
    if (!this.users[user]) return page(400, '<h1>Unknown user</h1>');
    const code = `${Date.now()}.${randomBytes(24).toString('hex')}`;
    const nonce = q.get('nonce');
    this.codes.set(code, {
      user,
      clientId,
      redirectUri,
      ...(nonce ? { nonce } : {}),
      scopes,
      issuedAt: Date.now(),
      used: false,
    });
    back({ code });
  }

  private params(req: IncomingMessage, raw: string): URLSearchParams {
    if (String(req.headers['content-type'] ?? '').includes('application/json')) {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
    }
    return new URLSearchParams(raw);
  }

  private async token(req: IncomingMessage, raw: string): Promise<unknown> {
    const p = this.params(req, raw);
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const clientId = p.get('client_id') ?? basicId;
    const secret = p.get('client_secret') ?? basicSecret;
    if (clientId !== this.app.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== this.app.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const grant = this.codes.get(p.get('code') ?? '');
    if (!grant || grant.used || Date.now() - grant.issuedAt > CODE_TTL_MS || grant.clientId !== clientId)
      return { ok: false, error: 'invalid_code' };
    if ((p.get('redirect_uri') ?? '') !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    grant.used = true;
    const accessToken = `xoxp-${randomBytes(20).toString('hex')}`;
    this.accessTokens.set(accessToken, grant);
    const kind = this.next.shift();
    const now = Math.floor(Date.now() / 1000);
    const iat = kind === 'expired' ? now - 2 * ID_TOKEN_TTL_S : now;
    const u = this.users[grant.user]!;
    const idToken = await new SignJWT({
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      auth_time: iat,
      'https://slack.com/team_id': this.teamId,
      'https://slack.com/user_id': grant.user,
      ...(grant.scopes.includes('email') && u.email ? { email: u.email, email_verified: true } : {}),
      ...(grant.scopes.includes('profile') ? { name: u.name, given_name: '', family_name: '' } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.jwk.kid!, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(grant.user)
      .setAudience(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ID_TOKEN_TTL_S)
      .sign(kind === 'forged' ? this.forger : this.key.privateKey);
    return { ok: true, access_token: accessToken, token_type: 'Bearer', id_token: idToken };
  }

  private userInfo(req: IncomingMessage, raw: string): unknown {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer ?? this.params(req, raw).get('token') ?? '';
    const grant = this.accessTokens.get(token);
    if (!grant) return { ok: false, error: 'invalid_auth' };
    const u = this.users[grant.user]!;
    return {
      ok: true,
      sub: grant.user,
      'https://slack.com/user_id': grant.user,
      'https://slack.com/team_id': this.teamId,
      ...(grant.scopes.includes('email') && u.email ? { email: u.email, email_verified: true } : {}),
      ...(grant.scopes.includes('profile') ? { name: u.name } : {}),
    };
  }
}
