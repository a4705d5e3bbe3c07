/**
 * `GET /api/v1/handoff/{env}`: the bot's read-only handoff API (docs/api/openapi.yaml). Serves the same
 * sheet as generated/handoff/<env>.json, built from the bot's model, to callers holding the bearer token
 * (`ENVC_API_TOKEN`). A plain function so any node:http server can mount it: it returns false when the
 * path is not its own and leaves the response untouched.
 *
 * Order of checks: path → method → token → environment, so nobody without the token learns which
 * environments exist. Errors are RFC 9457 problem documents; 401s carry RFC 6750's WWW-Authenticate.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildHandoff, renderHandoffJson } from '../../compiler/emitters/handoff/sheet.js';
import type { Model } from '../../compiler/model.js';

export const HANDOFF_ROUTE_PREFIX = '/api/v1/handoff/';
/** For Bolt's HTTPReceiver `customRoutes` (path-to-regexp syntax). */
export const HANDOFF_ROUTE_PATTERN = '/api/v1/handoff/:env';

export interface HandoffRouteDeps {
  /** The bearer token callers must present; undefined disables the API (503). */
  apiToken: string | undefined;
  /** The current model (a function, so a reloaded spec is served without remounting). */
  model: Model | (() => Model);
  /** Called once per handled request, e.g. for an access log line (never with the token). */
  onServed?: (info: { env?: string; status: number }) => void;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented and the configured token (hashing equalizes lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
  head = false,
): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(head ? undefined : body);
}

export function handoffRoute(req: IncomingMessage, res: ServerResponse, deps: HandoffRouteDeps): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (!path.startsWith(HANDOFF_ROUTE_PREFIX)) return false;
  const env = decodeURIComponent(path.slice(HANDOFF_ROUTE_PREFIX.length));
  const head = req.method === 'HEAD';
  const done = (status: number, envName?: string) =>
    deps.onServed?.({ ...(envName ? { env: envName } : {}), status });

  if (req.method !== 'GET' && !head) {
    problem(res, 405, 'Method Not Allowed', 'the handoff API is read-only: use GET', { allow: 'GET, HEAD' });
    done(405);
    return true;
  }
  if (!deps.apiToken) {
    problem(
      res,
      503,
      'Service Unavailable',
      'the handoff API is disabled: start the bot with ENVC_API_TOKEN set',
      {},
      head,
    );
    done(503);
    return true;
  }
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer ([\x21-\x7e]+)$/i.exec(auth);
  if (!m) {
    problem(
      res,
      401,
      'Unauthorized',
      'send the API token as `Authorization: Bearer <token>`',
      { 'www-authenticate': 'Bearer realm="envc"' },
      head,
    );
    done(401);
    return true;
  }
  if (!tokenMatches(m[1]!, deps.apiToken)) {
    problem(
      res,
      401,
      'Unauthorized',
      'the token is not valid',
      { 'www-authenticate': 'Bearer realm="envc", error="invalid_token"' },
      head,
    );
    done(401);
    return true;
  }
  const model = typeof deps.model === 'function' ? deps.model() : deps.model;
  const environment = /^[a-z][-a-z0-9]*$/.test(env)
    ? model.environments.find((e) => e.name === env)
    : undefined;
  if (!environment) {
    const known = model.environments.map((e) => e.name).join(', ');
    problem(
      res,
      404,
      'Not Found',
      `no environment ${JSON.stringify(env)}; known environments: ${known}`,
      {},
      head,
    );
    done(404);
    return true;
  }
  const body = renderHandoffJson(buildHandoff(model, environment));
  const etag = `"${sha256(body).toString('hex').slice(0, 32)}"`;
  const headers = { etag, 'cache-control': 'no-cache', vary: 'Authorization' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    done(304, env);
    return true;
  }
  res.writeHead(200, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
  done(200, env);
  return true;
}
