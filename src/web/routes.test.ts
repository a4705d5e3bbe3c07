import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import { openTestPglite } from '../../test/support/store.js';
import type { Store } from '../store/types.js';
import { issueToken } from './auth.js';
import type { WebDeps } from './deps.js';
import { signInLink, webRoutes } from './routes.js';

/**
 * The pages outside the demo: nothing without a session; a `/infra web` link signs in once; production's
 * plans are visible to its approvers and to their requester only (others get the same 404 as for a plan
 * that does not exist). Real store, real HTTP.
 */
const secret = 'pages-secret-for-tests-0001';
const LEAD = 'U0LEAD0001';
const RITA = 'U0REQUEST1';
const OLGA = 'U0OUTSIDE1';
const digest = 'c'.repeat(64);

describe('pages with sign-in', () => {
  let store: Store;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    store = (await openTestPglite()).store;
    const model = await defaultModel();
    await store.recordPlan({
      env: 'production',
      digest,
      summary: { counts: { add: 1, change: 0, destroy: 0 } },
      planPath: '/nonexistent',
      createdBy: RITA,
    });
    await store.requestApproval({
      env: 'production',
      digest,
      requester: RITA,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    // Staging: every member sees its plans, but an access request only its policy's approvers (and its requester).
    await store.createAccessRequest({
      env: 'staging',
      policy: 'view',
      role: 'view',
      requester: OLGA,
      reason: 'debug INC-7',
      durationSeconds: 3600,
      minApprovals: 1,
    });
    const deps: WebDeps = {
      store,
      model,
      isApprover: async (u, refs) => u === LEAD && refs.includes('@platform-leads'),
      origin: () => undefined,
      now: () => new Date(),
      planDetail: async () => undefined,
      generatedChanges: async () => [],
      graph: async () => 'flowchart LR\n  a --> b',
      auth: { mode: 'token', secret, secure: false },
    };
    const routes = webRoutes(deps);
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const r = routes.find(
        (x) => x.path === path || (x.path.endsWith('/:digest') && path.startsWith(x.path.slice(0, -7))),
      );
      if (!r) {
        res.writeHead(404);
        res.end();
      } else r.handler(req, res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await store?.close();
  });

  const signIn = async (user: string) => {
    const link = signInLink(
      { auth: { mode: 'token', secret, secure: false }, now: () => new Date() },
      base,
      user,
    )!;
    const r = await fetch(link, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly; SameSite=Lax/);
    return { cookie: set.split(';')[0]!, link };
  };

  it('asks for sign-in without a session, and with a forged one', async () => {
    const r = await fetch(`${base}/plans`);
    expect(r.status).toBe(401);
    expect(await r.text()).toContain('/infra web');
    const forged = issueToken('not-the-secret', LEAD, 'session', new Date());
    expect((await fetch(`${base}/plans`, { headers: { cookie: `envc_session=${forged}` } })).status).toBe(
      401,
    );
    // A sign-in token is not a session.
    const signin = issueToken(secret, LEAD, 'signin', new Date());
    expect((await fetch(`${base}/plans`, { headers: { cookie: `envc_session=${signin}` } })).status).toBe(
      401,
    );
  });

  it('a sign-in link works once', async () => {
    const { link } = await signIn(LEAD);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('it was used');
  });

  it('shows production plans to an approver and to their requester, and 404 to anyone else', async () => {
    for (const [user, status] of [
      [LEAD, 200],
      [RITA, 200],
      [OLGA, 404],
    ] as const) {
      const { cookie } = await signIn(user);
      const r = await fetch(`${base}/plans/${digest}`, { headers: { cookie } });
      expect([user, r.status]).toEqual([user, status]);
      const list = await (await fetch(`${base}/plans`, { headers: { cookie } })).text();
      expect([user, list.includes(digest.slice(0, 12))]).toEqual([user, status === 200]);
    }
  });

  it('lists only the environments a user may see', async () => {
    const { cookie } = await signIn(OLGA);
    const page = await (await fetch(`${base}/environments`, { headers: { cookie } })).text();
    expect(page).toContain('<td>development</td>');
    expect(page).not.toContain('<td>production</td>');
  });

  it('shows how to approve only to an approver who did not request the plan', async () => {
    for (const [user, shown] of [
      [LEAD, true],
      [RITA, false],
    ] as const) {
      const { cookie } = await signIn(user);
      const page = await (await fetch(`${base}/plans/${digest}`, { headers: { cookie } })).text();
      expect([user, page.includes('data-testid="approve-how"')]).toEqual([user, shown]);
    }
  });

  it("shows another person's access request only to those who may approve it under its policy", async () => {
    for (const [user, shown] of [
      [OLGA, true],
      [LEAD, true],
      [RITA, false],
    ] as const) {
      const { cookie } = await signIn(user);
      const page = await (await fetch(`${base}/access`, { headers: { cookie } })).text();
      expect([user, page.includes('debug INC-7')]).toEqual([user, shown]);
    }
  });
});
