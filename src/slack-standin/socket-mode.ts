import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's Socket Mode side, following request-signing.json#socket_mode: apps.connections.open hands out a
 * single-use WebSocket URL; on connect the server sends `hello`; envelopes `{envelope_id, type, payload,
 * accepts_response_payload}` go to a connection and must be acked with `{envelope_id, payload?}`;
 * `disconnect` (refresh_requested, warning, ...) asks the client to reconnect through a new URL.
 */
export interface AckFrame {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class FakeSocketMode {
  private wss = new WebSocketServer({ noServer: true });
  private tickets = new Set<string>();
  private open = new Set<WebSocket>();
  private pending = new Map<string, { resolve: (a: AckFrame) => void; timer: NodeJS.Timeout }>();
  /** Every frame received from clients (acks), in order. */
  readonly received: Array<Record<string, unknown>> = [];
  /** How many WebSocket connections were ever accepted (reconnects count). */
  connectionsAccepted = 0;
  /** Acks whose envelope_id matched nothing the server sent. */
  readonly strayAcks: string[] = [];

  constructor(
    server: Server,
    private appId: string,
  ) {
    server.on('upgrade', (req, socket: Duplex, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
        // A used or unknown URL: Slack refuses the upgrade.
        socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** A single-use wss URL as apps.connections.open returns (ws:// here: the fake has no TLS). */
  newUrl(origin: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}/link/?ticket=${ticket}`;
  }

  get connections(): number {
    return [...this.open].filter((ws) => ws.readyState === ws.OPEN).length;
  }

  private accept(ws: WebSocket): void {
    this.connectionsAccepted += 1;
    this.open.add(ws);
    ws.on('close', () => this.open.delete(ws));
    ws.on('message', (data) => {
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      this.received.push(frame);
      const id = frame.envelope_id;
      if (typeof id !== 'string') return;
      const waiter = this.pending.get(id);
      if (!waiter) {
        this.strayAcks.push(id);
        return;
      }
      clearTimeout(waiter.timer);
      this.pending.delete(id);
      waiter.resolve(frame as unknown as AckFrame);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  /** Resolves once at least `n` connections are open. */
  async waitForConnections(n = 1, timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (this.connections < n) {
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${n} Socket Mode connection(s)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Sends one envelope to an open connection and resolves with the client's ack frame; rejects if no ack
   * arrives within `timeoutMs` (Slack's deadline is 3 s; tests pass a generous bound).
   */
  send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    opts: { acceptsResponsePayload?: boolean; retryAttempt?: number; timeoutMs?: number } = {},
  ): Promise<AckFrame> {
    const ws = [...this.open].find((w) => w.readyState === w.OPEN);
    if (!ws) return Promise.reject(new Error('no open Socket Mode connection'));
    const envelope_id = randomUUID();
    const frame: Record<string, unknown> = {
      envelope_id,
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
    };
    if (type === 'events_api') {
      frame.retry_attempt = opts.retryAttempt ?? 0;
      frame.retry_reason = opts.retryAttempt ? 'timeout' : '';
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope_id);
        reject(new Error(`no ack for envelope ${envelope_id} (${type})`));
      }, opts.timeoutMs ?? 10_000);
      this.pending.set(envelope_id, { resolve, timer });
      ws.send(JSON.stringify(frame));
    });
  }

  /** Sends `disconnect` with a reason to every connection, then closes them, as Slack does on refresh. */
  disconnectAll(
    reason: 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets' = 'refresh_requested',
  ): void {
    for (const ws of this.open) {
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
      setTimeout(() => ws.close(1000), 50);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const ws of this.open) ws.terminate();
    await new Promise<void>((ok) => this.wss.close(() => ok()));
  }
}
