import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookie, issueToken, NonceMemory, SESSION_COOKIE, sessionCookie, verifyToken } from './auth.js';
import type { Viewer, WebDeps } from './deps.js';
import { html } from './html.js';
import { errorPage, page } from './layout.js';
import { accessPage, auditPage, driftPage, environmentsPage, plansPage } from './pages/lists.js';
import { resourceViews } from './plan/changes.js';
import { planPage } from './plan/page.js';
import { slackSignInRoutes } from './signin-slack.js';
import { visibilityFor } from './visibility.js';

/**
 * The pages as HTTP routes in Bolt's custom-route shape (mounted beside /slack/events on the bot's server):
 * GET only, server-rendered, no client script. Every page first finds the viewer (open demo, or the
 * session cookie from a `/infra web` sign-in link) and shows only what that viewer may see; a plan the
 * viewer may not see answers 404, like one that does not exist.
 */
export interface WebRoute {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): void;
}

type Handler = (ctx: {
  url: URL;
  viewer: Viewer;
  req: IncomingMessage;
}) => Promise<{ status: number; body: string }>;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(body);
}

export function signInLink(
  deps: Pick<WebDeps, 'auth' | 'now'>,
  base: string,
  user: string,
): string | undefined {
  if (deps.auth.mode !== 'token') return undefined;
  return `${base.replace(/\/$/, '')}/signin?token=${encodeURIComponent(issueToken(deps.auth.secret, user, 'signin', deps.now()))}`;
}

export function webRoutes(deps: WebDeps): WebRoute[] {
  const nonces = new NonceMemory();
  const viewerOf = (req: IncomingMessage): Viewer | undefined => {
    if (deps.auth.mode === 'open') return { user: 'demo', open: true };
    const token = cookie(req.headers.cookie, SESSION_COOKIE);
    if (!token) return undefined;
    const v = verifyToken(deps.auth.secret, token, 'session', deps.now());
    return v.ok ? { user: v.user, open: false } : undefined;
  };
  const guard =
    (h: Handler) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const url = new URL(req.url ?? '/', 'http://pages.local');
      const viewer = viewerOf(req);
      if (!viewer) {
        send(
          res,
          401,
          page({
            title: 'Sign in',
            nav: false,
            body: html`<h1>Sign in</h1>${deps.auth.mode === 'token' && deps.auth.slack ? html`<p><a class="btn btn-primary" href="/signin/slack">Sign in with Slack</a></p><p>Or r` : html`<p>R`}un <code>/infra web</code> in Slack: the bot answers with a sign-in link only you can see (valid 10 minutes, once).</p>`,
          }),
        );
        return;
      }
      const started = performance.now();
      h({ url, viewer, req })
        .then((r) =>
          send(res, r.status, r.body, {
            'server-timing': `render;dur=${(performance.now() - started).toFixed(1)}`,
          }),
        )
        .catch(() =>
          send(res, 500, errorPage(500, 'The page could not be rendered; the bot log has the details.')),
        );
    };
  const vis = (viewer: Viewer) => visibilityFor(viewer, deps.model, deps.isApprover);
  const who = (v: Viewer) => (v.open ? 'local demo (no sign-in)' : `signed in as ${v.user}`);
  const ok = (title: string, body: ReturnType<typeof html>, v: Viewer) => ({
    status: 200,
    body: page({ title, body, viewer: who(v) }),
  });

  const findPlan = async (digest: string) => {
    for (const e of deps.model.environments) {
      const p = await deps.store.getPlanByDigest(e.name, digest);
      if (p) return p;
    }
    return undefined;
  };

  const plan: Handler = async ({ url, viewer }) => {
    const digest = decodeURIComponent(url.pathname.split('/')[2] ?? '');
    const p = /^[0-9a-f]{64}$/.test(digest) ? await findPlan(digest) : undefined;
    const v = await vis(viewer);
    if (!p || !v.record(p.env, p.createdBy))
      return { status: 404, body: errorPage(404, 'No such plan (or you may not see it).') };
    const env = deps.model.environments.find((e) => e.name === p.env);
    const [request, approvals, audit, detail, generated] = await Promise.all([
      deps.store.getApprovalRequest(p.env, digest),
      deps.store.listApprovals(p.env, digest),
      deps.store.listAudit({ env: p.env, limit: 500 }),
      deps.planDetail(p),
      deps.generatedChanges(p.env),
    ]);
    const sections = [];
    for (const s of deps.planSections ?? []) {
      const body = await s.render(p, detail);
      if (body) sections.push({ id: s.id, title: s.title, body });
    }
    // Approving happens in Slack (the pages never write); its way is shown to whoever may approve.
    const mayApprove =
      request?.status === 'pending' &&
      (viewer.open ||
        (viewer.user !== request.requester &&
          (await deps.isApprover(viewer.user, env?.approvals.approvers ?? []))));
    const body = planPage({
      plan: p,
      ...(mayApprove ? { approveCommand: `/infra approve ${p.env} ${digest.slice(0, 12)}` } : {}),
      ...(request ? { request } : {}),
      approvals,
      history: audit.filter((a) => a.details.digest === digest).reverse(),
      ...(detail ? { resources: resourceViews(detail, (a) => deps.origin(p.env, a)) } : {}),
      generated,
      sections,
      minApprovals: env?.approvals.minApprovals ?? 1,
    });
    return ok(`Plan ${p.env} ${digest.slice(0, 12)}`, body, viewer);
  };

  const plans: Handler = async ({ viewer }) => {
    const v = await vis(viewer);
    const list = (await deps.store.listPlans(undefined, 100)).filter((p) => v.record(p.env, p.createdBy));
    return ok('Plans', plansPage(list), viewer);
  };
  const environments: Handler = async ({ viewer }) => {
    const v = await vis(viewer);
    const envs = deps.model.environments
      .filter((e) => v.env(e.name))
      .map((e) => ({ name: e.name, tier: e.tier, region: e.region, approvers: e.approvals.approvers }));
    return ok('Environments', environmentsPage(envs, await deps.graph()), viewer);
  };
  const drift: Handler = async ({ viewer }) => {
    const v = await vis(viewer);
    const list = (await deps.store.listIncidents({ status: 'open' })).filter((i) => v.env(i.env));
    return ok('Drift', driftPage(list), viewer);
  };
  const access: Handler = async ({ viewer }) => {
    const v = await vis(viewer);
    const now = deps.now();
    const grants = (await deps.store.listGrants({ active: true, now })).filter((g) => v.access(g));
    const pending = (await deps.store.listAccessRequests({ status: 'pending' })).filter((g) => v.access(g));
    return ok('Access', accessPage(grants, pending, now), viewer);
  };
  const audit: Handler = async ({ url, viewer }) => {
    const v = await vis(viewer);
    const q = {
      env: url.searchParams.get('env') || undefined,
      actor: url.searchParams.get('actor') || undefined,
      action: url.searchParams.get('action') || undefined,
    };
    const entries = (
      await deps.store.listAudit({
        ...(q.env ? { env: q.env } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        limit: 200,
      })
    ).filter((e) => v.record(e.env, e.actor));
    const envs = deps.model.environments.map((e) => e.name).filter((e) => v.env(e));
    return ok('Audit log', auditPage(entries, q, envs), viewer);
  };

  const signin = (req: IncomingMessage, res: ServerResponse): void => {
    if (deps.auth.mode !== 'token') {
      res.writeHead(303, { location: '/' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://pages.local');
    const v = verifyToken(deps.auth.secret, url.searchParams.get('token') ?? '', 'signin', deps.now());
    if (!v.ok || !nonces.claim(v.nonce, v.exp, deps.now())) {
      send(
        res,
        401,
        errorPage(
          401,
          `This sign-in link is not valid${v.ok ? ' any more (it was used)' : ` (${v.why})`}. Run /infra web in Slack for a new one.`,
        ),
      );
      return;
    }
    const session = issueToken(deps.auth.secret, v.user, 'session', deps.now());
    res.writeHead(303, { location: '/', 'set-cookie': sessionCookie(session, deps.auth.secure) });
    res.end();
  };

  const get = ['GET', 'HEAD'];
  return [
    { path: '/plans', method: get, handler: guard(plans) },
    { path: '/plans/:digest', method: get, handler: guard(plan) },
    { path: '/environments', method: get, handler: guard(environments) },
    { path: '/drift', method: get, handler: guard(drift) },
    { path: '/access', method: get, handler: guard(access) },
    { path: '/audit', method: get, handler: guard(audit) },
    { path: '/signin', method: get, handler: signin },
    ...(deps.auth.mode === 'token' && deps.auth.slack
      ? slackSignInRoutes(deps.auth.slack, { ...deps.auth, now: deps.now })
      : []),
  ];
}
