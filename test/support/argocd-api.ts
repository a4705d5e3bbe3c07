/**
 * A local ArgoCD API server after its published API (server/application/application.proto, served through
 * grpc-gateway as /api/v1/...), for the calls envc's bot makes and the ones it must not be able to make:
 *
 * - `POST /api/v1/applications/{name}/sync` (ApplicationSyncRequest; unknown fields are 400, code 3), RBAC
 *   action `sync`; an operation already running is 400 FailedPrecondition (code 9); success sets the
 *   Application's `operation` and answers the Application;
 * - `GET` (action `get`), `PUT` and `PATCH` (action `update`), `DELETE` (action `delete`) of
 *   `/api/v1/applications/{name}`;
 * - bearer tokens of AppProject roles (`argocd proj role create-token <project> <role>`), whose subject is
 *   `proj:<project>:<role>` and whose policies are the role's `p, <subject>, <resource>, <action>,
 *   <project>/<app>, allow|deny` lines (globs allowed, deny wins); a role's token acts only in its own project.
 *   A missing or unknown token is 401 (code 16); a denied request, or an Application the token may not see,
 *   is 403 PermissionDenied (code 7) — ArgoCD does not tell a stranger whether an Application exists.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// biome-ignore lint/suspicious/noExplicitAny: Applications and AppProjects are arbitrary JSON here.
type Obj = Record<string, any>;

const SYNC_REQUEST_FIELDS = new Set([
  'name',
  'revision',
  'dryRun',
  'prune',
  'strategy',
  'resources',
  'manifests',
  'infos',
  'retryStrategy',
  'syncOptions',
  'appNamespace',
  'project',
  'revisions',
  'sourcePositions',
]);

export interface FakeArgoCd {
  url: string;
  requests: Array<{ method: string; path: string; status: number; body?: Obj }>;
  /** What `argocd proj role create-token <project> <role>` hands out (throws for an unknown role). */
  projectToken(project: string, role: string): string;
  close(): Promise<void>;
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

function mergePatch(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = mergePatch(out[k] && typeof out[k] === 'object' ? out[k] : {}, v);
    else out[k] = v;
  }
  return out;
}

/** `projects`: AppProject objects (with spec.roles); `applications`: Application objects, updated in place. */
export async function startFakeArgoCd(o: { projects: Obj[]; applications: Obj[] }): Promise<FakeArgoCd> {
  const tokens = new Map<string, { project: string; role: string; iat: number }>();
  const requests: FakeArgoCd['requests'] = [];
  const grpcError = (status: number, code: number, message: string) => ({
    status,
    body: { error: message, code, message, details: [] },
  });
  const project = (name: string) => o.projects.find((p) => p.metadata?.name === name);

  function allowed(sub: { project: string; role: string }, action: string, object: string): boolean {
    const role = (project(sub.project)?.spec?.roles ?? []).find((r: Obj) => r.name === sub.role);
    const subject = `proj:${sub.project}:${sub.role}`;
    const lines = ((role?.policies ?? []) as string[]).map((l) => l.split(',').map((x) => x.trim()));
    const matching = lines.filter(
      ([p, s, res, act, obj]) =>
        p === 'p' &&
        s === subject &&
        (res === 'applications' || res === '*') &&
        (act === action || act === '*') &&
        // A project role's policies only ever reach its own project's objects.
        obj?.startsWith(`${sub.project}/`) === true &&
        glob(obj, object),
    );
    if (matching.some((l) => l[5] === 'deny')) return false;
    return matching.some((l) => l[5] === 'allow');
  }

  function handle(method: string, url: URL, auth: string | undefined, raw: string) {
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const sub = bearer ? tokens.get(bearer) : undefined;
    if (!sub) return grpcError(401, 16, 'invalid session: token signature is invalid');
    const m = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(url.pathname);
    if (!m) return grpcError(404, 5, 'Not Found');
    const name = decodeURIComponent(m[1] as string);
    const action = m[2]
      ? method === 'POST'
        ? 'sync'
        : undefined
      : ({ GET: 'get', PUT: 'update', PATCH: 'update', DELETE: 'delete' } as Record<string, string>)[method];
    if (!action) return grpcError(405, 12, 'Method Not Allowed');
    const app = o.applications.find((a) => a.metadata?.name === name);
    const appProject = app?.spec?.project ?? url.searchParams.get('project') ?? sub.project;
    const object = `${appProject}/${name}`;
    const denied = grpcError(
      403,
      7,
      `permission denied: applications, ${action}, ${object}, sub: proj:${sub.project}:${sub.role}, iat: ${new Date(sub.iat * 1000).toISOString()}`,
    );
    if (!allowed(sub, action, object)) return denied;
    if (!app) return grpcError(404, 5, `applications.argoproj.io "${name}" not found`);
    if (action === 'get') return { status: 200, body: app };
    let body: Obj;
    try {
      body = raw ? (JSON.parse(raw) as Obj) : {};
    } catch (err) {
      return grpcError(400, 3, `invalid character in request body: ${(err as Error).message}`);
    }
    if (action === 'delete') {
      o.applications.splice(o.applications.indexOf(app), 1);
      return { status: 200, body: {} };
    }
    if (action === 'update') {
      // PUT carries the Application; PATCH an ApplicationPatchRequest { name, patch (a string), patchType }.
      if (method === 'PUT') app.spec = body.spec ?? app.spec;
      else if (body.patchType === 'merge' && typeof body.patch === 'string')
        Object.assign(app, mergePatch(app, JSON.parse(body.patch) as Obj));
      else return grpcError(400, 3, `unsupported patch type "${body.patchType}"`);
      return { status: 200, body: app };
    }
    const unknown = Object.keys(body).filter((k) => !SYNC_REQUEST_FIELDS.has(k));
    if (unknown.length) return grpcError(400, 3, `proto: (line 1:2): unknown field "${unknown[0]}"`);
    if (body.name !== undefined && body.name !== name)
      return grpcError(400, 3, `application name in the body ("${body.name}") does not match the path`);
    if (app.status?.operationState?.phase === 'Running' || app.operation)
      return grpcError(400, 9, 'another operation is already in progress');
    const operation = {
      sync: {
        ...(body.revision ? { revision: body.revision } : {}),
        ...(body.prune ? { prune: true } : {}),
        ...(body.syncOptions?.items ? { syncOptions: body.syncOptions.items } : {}),
      },
      initiatedBy: { username: `proj:${sub.project}:${sub.role}` },
      ...(body.infos ? { info: body.infos } : {}),
    };
    app.operation = operation;
    app.status = {
      ...(app.status ?? {}),
      operationState: { phase: 'Running', operation, startedAt: new Date().toISOString() },
    };
    return { status: 200, body: app };
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const out = handle(req.method ?? 'GET', url, req.headers.authorization, raw);
      let body: Obj | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Obj) : undefined;
      } catch {}
      requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        status: out.status,
        ...(body ? { body } : {}),
      });
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    projectToken(p, role) {
      if (!(project(p)?.spec?.roles ?? []).some((r: Obj) => r.name === role))
        throw new Error(`rpc error: code = NotFound desc = project "${p}" has no role "${role}"`);
      const token = `eyJ.${randomBytes(18).toString('base64url')}`;
      tokens.set(token, { project: p, role, iat: Math.floor(Date.now() / 1000) });
      return token;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
