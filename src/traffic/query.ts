/** One `envc traffic` question over a universe: parse both endpoints and the port, then evaluate. Pure. */
import { defaultPort, resolveEndpoint, splitPort } from './endpoints.js';
import { evaluate, type Protocol, type Verdict } from './evaluate.js';
import type { Universe } from './universe.js';

export interface TrafficQuery {
  from: string;
  to: string;
  /** Overrides a `:port` on `to`. */
  port?: number;
  protocol?: Protocol;
}

export function query(u: Universe, q: TrafficQuery): Verdict | { error: string } {
  const from = resolveEndpoint(u, q.from);
  if ('error' in from) return { error: `--from: ${from.error}` };
  const target = splitPort(q.to);
  if ('error' in target) return { error: `--to: ${target.error}` };
  const to = resolveEndpoint(u, target.text);
  if ('error' in to) return { error: `--to: ${to.error}` };
  const port = q.port ?? target.port ?? defaultPort(to);
  if (port === undefined) return { error: `--to: no port given for ${target.text}; add :<port> or --port` };
  return evaluate(u, from, to, port, q.protocol ?? 'TCP');
}
