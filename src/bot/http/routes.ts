import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Model } from '../../compiler/model.js';
import { healthRoutes, type Readiness } from '../health.js';
import type { Metrics } from '../metrics.js';

/**
 * The bot's own HTTP routes (health, metrics, the read-only handoff API), in Bolt's custom-route shape:
 * mounted beside /slack/events on Bolt's server in HTTP mode, served by `routeServer` in Socket Mode.
 */
export interface Route {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): void;
}

export async function botRoutes(o: {
  metrics: Metrics;
  readiness: Readiness;
  apiToken?: string;
  model: () => Model;
}): Promise<Route[]> {
  const { HANDOFF_ROUTE_PATTERN, handoffRoute } = await import('./handoff-route.js');
  return [
    ...healthRoutes(o.metrics, o.readiness),
    {
      path: HANDOFF_ROUTE_PATTERN,
      method: ['GET', 'HEAD'],
      handler: (req, res) => {
        handoffRoute(req, res, { apiToken: o.apiToken, model: o.model });
      },
    },
  ];
}

function matches(route: Route, path: string): boolean {
  if (route.path === path) return true;
  // `/prefix/:param` routes: one path segment after the prefix.
  const at = route.path.indexOf('/:');
  return at > 0 && path.startsWith(route.path.slice(0, at + 1)) && !path.slice(at + 1).includes('/');
}

/** A plain server for the routes (Socket Mode has no HTTP server of its own); resolves once listening. */
export async function routeServer(
  routes: Route[],
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => matches(r, path) && r.method.includes(req.method ?? 'GET'));
    if (!route) {
      res.writeHead(404);
      res.end();
      return;
    }
    route.handler(req, res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
