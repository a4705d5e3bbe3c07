import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/**
 * /healthz (the process serves requests), /readyz (the store answers, Slack accepted our token, not shutting
 * down) and /metrics (Prometheus text format). Mounted on Bolt's HTTP server in HTTP mode and on a small
 * server of our own in Socket Mode.
 */
export interface Readiness {
  /** Named checks; each resolves true when ready. */
  checks: Record<string, () => Promise<boolean>>;
  shuttingDown: () => boolean;
}

export function healthRoutes(metrics: Metrics, ready: Readiness) {
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) =>
        send(res, 200, JSON.stringify({ status: 'ok' })),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void (async () => {
          const results: Record<string, boolean> = {};
          for (const [name, check] of Object.entries(ready.checks)) {
            results[name] = await Promise.race([
              check().catch(() => false),
              new Promise<boolean>((ok) => setTimeout(() => ok(false), 2000).unref()),
            ]);
          }
          const ok = !ready.shuttingDown() && Object.values(results).every(Boolean);
          send(
            res,
            ok ? 200 : 503,
            JSON.stringify({
              status: ok ? 'ready' : 'not ready',
              shuttingDown: ready.shuttingDown(),
              checks: results,
            }),
          );
        })();
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void metrics.text().then(
          (text) => send(res, 200, text, metrics.contentType),
          (err: Error) => send(res, 500, err.message, 'text/plain'),
        );
      },
    },
  ];
}
