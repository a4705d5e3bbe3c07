import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import { openTestPglite } from '../../test/support/store.js';
import { FakeSlack } from '../slack-standin/fake-slack.js';
import type { Store } from '../store/types.js';
import type { WebDeps } from './deps.js';
import { webRoutes } from './routes.js';

/**
 * Sign in with Slack, the whole redirect flow over real HTTP against the Slack stand-in's OpenID Connect
 * endpoints (discovery, authorize with its consent form, openid.connect.token, JWKS, userInfo): a member
 * signs in and sees what they may see; a wrong state, a forged or expired id_token, a replayed code and a
 * callback this browser did not start are refused without a session.
 */
const secret = 'pages-secret-for-tests-0002';
const LEAD = 'U0LEAD0001';
const OLGA = 'U0OUTSIDE1';
const digest = 'd'.repeat(64);

describe('Sign in with Slack (OpenID Connect)', () => {
  let store: Store;
  let server: Server;
  let slack: FakeSlack;
  let base: string;

  beforeAll(async () => {
    store = (await openTestPglite()).store;
    await store.recordPlan({
      env: 'production',
      digest,
      summary: { counts: { add: 1, change: 0, destroy: 0 } },
      planPath: '/nonexistent',
      createdBy: 'U0REQUEST1',
    });
    slack = await FakeSlack.start({
      users: { [LEAD]: { name: 'lena', email: 'lena@acme.example' }, [OLGA]: { name: 'olga' } },
    });
    server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const oidc = await slack.enableOidc({ redirectUris: [`${base}/signin/slack/callback`] });
    const deps: WebDeps = {
      store,
      model: await defaultModel(),
      isApprover: async (u, refs) => u === LEAD && refs.includes('@platform-leads'),
      origin: () => undefined,
      now: () => new Date(),
      planDetail: async () => undefined,
      generatedChanges: async () => [],
      graph: async () => 'flowchart LR\n  a --> b',
      auth: {
        mode: 'token',
        secret,
        secure: false,
        slack: {
          clientId: oidc.app.clientId,
          clientSecret: oidc.app.clientSecret,
          issuer: oidc.issuer,
          redirectUri: `${base}/signin/slack/callback`,
          teamId: 'T0ENVCTEAM',
        },
      },
    };
    const routes = webRoutes(deps);
    server.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const r = routes.find(
        (x) => x.path === path || (x.path.endsWith('/:digest') && path.startsWith(x.path.slice(0, -7))),
      );
      if (!r) {
        res.writeHead(404);
        res.end();
      } else r.handler(req, res);
    });
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await slack?.close();
    await store?.close();
  });

  const cookieOf = (r: Response, name: string) =>
    r.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`))
      ?.split(';')[0];

  /** Steps 1–2: start at the pages, consent at Slack as `user`; returns the callback URL and the flow cookie. */
  const toCallback = async (user: string) => {
    const start = await fetch(`${base}/signin/slack`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const flow = cookieOf(start, 'envc_oidc')!;
    expect(start.headers.getSetCookie().join()).toMatch(/envc_oidc=.*HttpOnly; SameSite=Lax/);
    const authorize = new URL(start.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${slack.origin}/openid/connect/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('openid profile');
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{24}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{24}$/);
    const consent = await fetch(authorize);
    expect(await consent.text()).toContain(`<option value="${user}">`);
    const allow = await fetch(authorize.origin + authorize.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...authorize.searchParams, ['user', user], ['decision', 'allow']]),
      redirect: 'manual',
    });
    expect(allow.status).toBe(302);
    const callback = new URL(allow.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    return { callback, flow };
  };

  const finish = (callback: URL, flow?: string) =>
    fetch(callback, { redirect: 'manual', ...(flow ? { headers: { cookie: flow } } : {}) });

  it('signs a member in, and the pages show what that member may see', async () => {
    expect(await (await fetch(`${base}/plans`)).text()).toContain('href="/signin/slack"');
    const { callback, flow } = await toCallback(LEAD);
    const done = await finish(callback, flow);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/plans');
    const session = cookieOf(done, 'envc_session')!;
    expect(session).toBeDefined();
    const plans = await fetch(`${base}/plans`, { headers: { cookie: session } });
    expect(plans.status).toBe(200);
    const text = await plans.text();
    expect(text).toContain(`signed in as ${LEAD}`);
    expect(text).toContain(digest.slice(0, 12));
    // The code was used: the same callback again is refused by openid.connect.token.
    const replay = await finish(callback, flow);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('invalid_code');
  });

  it('a member who is not an approver does not see production plans', async () => {
    const { callback, flow } = await toCallback(OLGA);
    const session = cookieOf(await finish(callback, flow), 'envc_session')!;
    const plans = await (await fetch(`${base}/plans`, { headers: { cookie: session } })).text();
    expect(plans).toContain(`signed in as ${OLGA}`);
    expect(plans).not.toContain(digest.slice(0, 12));
    expect((await fetch(`${base}/plans/${digest}`, { headers: { cookie: session } })).status).toBe(404);
  });

  it('refuses a wrong state, and a callback this browser did not start', async () => {
    const { callback, flow } = await toCallback(LEAD);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'x'.repeat(24));
    const r = await finish(wrong, flow);
    expect(r.status).toBe(401);
    expect(await r.text()).toContain('the state does not match');
    expect(cookieOf(r, 'envc_session')).toBeUndefined();
    const other = await finish(callback);
    expect(other.status).toBe(401);
    expect(await other.text()).toContain('did not start a sign-in');
  });

  it('refuses a forged id_token and an expired one', async () => {
    for (const [kind, code] of [
      ['forged', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
      ['expired', 'ERR_JWT_EXPIRED'],
    ] as const) {
      slack.oidc!.nextIdToken(kind);
      const { callback, flow } = await toCallback(LEAD);
      const r = await finish(callback, flow);
      expect([kind, r.status]).toEqual([kind, 401]);
      expect(await r.text()).toContain(`the id_token is not valid (${code})`);
      expect(cookieOf(r, 'envc_session')).toBeUndefined();
    }
  });

  it('the stand-in refuses what Slack refuses', async () => {
    const oidc = slack.oidc!;
    const token = async (body: Record<string, string>) =>
      (await (
        await fetch(`${slack.origin}/api/openid.connect.token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body),
        })
      ).json()) as { ok: boolean; error?: string };
    expect(await token({ client_id: 'nope', client_secret: 'x', code: 'y' })).toEqual({
      ok: false,
      error: 'invalid_client_id',
    });
    expect(await token({ client_id: oidc.app.clientId, client_secret: 'wrong', code: 'y' })).toEqual({
      ok: false,
      error: 'bad_client_secret',
    });
    const bad = new URL(`${slack.origin}/openid/connect/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      scope: 'openid',
      client_id: oidc.app.clientId,
      redirect_uri: 'https://evil.example/callback',
    }))
      bad.searchParams.set(k, v);
    const r = await fetch(bad, { redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(r.headers.get('location')).toBeNull();
    // A scope the app does not have (the manifest's user scopes are openid and profile): back with an error.
    const greedy = new URL(bad);
    greedy.searchParams.set('redirect_uri', `${base}/signin/slack/callback`);
    greedy.searchParams.set('scope', 'openid email');
    const refused = await fetch(greedy, { redirect: 'manual' });
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
    const info = await fetch(`${slack.origin}/api/openid.connect.userInfo`, {
      headers: { authorization: 'Bearer xoxp-not-issued' },
    });
    expect(await info.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });
});
