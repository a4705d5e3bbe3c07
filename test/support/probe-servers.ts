import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local HTTP server that answers like a Kubernetes API server's /readyz (200 "ok" / 500 with the failed
 * checks) or a service's health endpoint, and fails on a schedule: `schedule(n)` for the n-th request
 * (0-based) returns `up`, `down` (503/500), `hang` (never answers) or `reset` (drops the connection).
 */
export type Behaviour = 'up' | 'down' | 'hang' | 'reset';

export interface ScheduledServer {
  url: string;
  /** Requests seen, by path. */
  requests: string[];
  close(): Promise<void>;
}

export async function scheduledServer(
  kind: 'readyz' | 'health',
  schedule: (n: number) => Behaviour,
): Promise<ScheduledServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const n = requests.length;
    requests.push(req.url ?? '');
    const b = schedule(n);
    if (b === 'hang') return;
    if (b === 'reset') {
      req.socket.destroy();
      return;
    }
    if (kind === 'readyz') {
      if (b === 'up') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end('[-]etcd failed: reason withheld\nreadyz check failed');
    } else if (b === 'up') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    else res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An in-memory implementation of the store's probe methods, with the store contract's semantics. */
export function memoryProbeStore() {
  const rows: Array<{
    env: string;
    target: string;
    ok: boolean;
    latencyMs: number;
    at: Date;
    status?: number;
    error?: string;
  }> = [];
  return {
    rows,
    async recordProbe(p: (typeof rows)[number]) {
      rows.push({ ...p });
    },
    async probeSeries(env: string, since: Date, target?: string) {
      return rows
        .filter(
          (r) =>
            r.env === env &&
            r.at.getTime() >= since.getTime() &&
            (target === undefined || r.target === target),
        )
        .sort((a, b) => a.at.getTime() - b.at.getTime());
    },
  };
}
