/**
 * Endpoint syntax of `envc traffic`:
 *   <env>/<service>               a service's pods (e.g. production/sample-service)
 *   <env>/<namespace>/<name>      a service or platform component in a namespace (staging/monitoring/prometheus)
 *   <env>/<component>             a platform component (production/ingress-nginx, production/prometheus)
 *   <env>/<namespace>/*           any other pod of the namespace (one no allow rule names)
 *   <ip>                          an address outside the cluster (203.0.113.7, 2001:db8::1)
 * with an optional `:<port>` (`[v6]:<port>` for IPv6). Parsing returns a value or an error message. Pure.
 */
import { parseIp } from './cidr.js';
import type { Endpoint } from './evaluate.js';
import { nsKey, type Pod, type Universe } from './universe.js';

export interface ParsedTarget {
  text: string;
  port?: number;
}

/** Splits a trailing `:port` (IPv6 addresses need brackets when a port follows). */
export function splitPort(text: string): ParsedTarget | { error: string } {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  if (v6) return v6[2] ? checkPort(v6[1]!, v6[2]) : { text: v6[1]! };
  if ((text.match(/:/g) ?? []).length > 1) return { text }; // a bare IPv6 address
  const i = text.lastIndexOf(':');
  if (i < 0) return { text };
  return checkPort(text.slice(0, i), text.slice(i + 1));
}

function checkPort(text: string, port: string): ParsedTarget | { error: string } {
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    return { error: `port must be 1-65535, got "${port}"` };
  return { text, port: Number(port) };
}

export function resolveEndpoint(u: Universe, text: string): Endpoint | { error: string } {
  const ip = parseIp(text);
  if (ip) return { kind: 'external', ip, text };
  const parts = text.split('/');
  const [env, ...rest] = parts;
  if (!env || rest.length === 0 || rest.length > 2 || rest.some((p) => p === '')) {
    return {
      error: `"${text}" is not an endpoint; use <env>/<service>, <env>/<namespace>/<name>, <env>/<namespace>/* or an IP address`,
    };
  }
  if (!u.environments.includes(env))
    return { error: `unknown environment "${env}" (known: ${u.environments.join(', ')})` };
  const inEnv = u.pods.filter((p) => p.env === env);
  if (rest.length === 2) {
    const [ns, name] = rest as [string, string];
    if (!u.namespaces.has(nsKey(env, ns))) {
      const known = [...u.namespaces.values()].filter((n) => n.env === env).map((n) => n.name);
      return { error: `unknown namespace "${ns}" in ${env} (known: ${known.join(', ')})` };
    }
    if (name === '*') {
      const any: Pod = { env, namespace: ns, name: '*', labels: {}, ports: [], kind: 'any' };
      return { kind: 'pod', pod: any };
    }
    const pod = inEnv.find((p) => p.namespace === ns && p.name === name);
    if (!pod) {
      const known = inEnv.filter((p) => p.namespace === ns).map((p) => p.name);
      return {
        error: `nothing named "${name}" in ${env}/${ns}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
      };
    }
    return { kind: 'pod', pod };
  }
  const name = rest[0]!;
  const services = inEnv.filter((p) => p.kind === 'service' && p.name === name);
  if (services.length > 1) {
    return {
      error: `"${name}" runs in several namespaces of ${env} (${services.map((s) => s.namespace).join(', ')}); use ${env}/<namespace>/${name}`,
    };
  }
  const found = services[0] ?? inEnv.find((p) => p.kind === 'component' && p.name === name);
  if (!found) {
    const known = [...new Set(inEnv.filter((p) => p.kind !== 'any').map((p) => p.name))].sort();
    return { error: `no service or component "${name}" in ${env} (known: ${known.join(', ')})` };
  }
  return { kind: 'pod', pod: found };
}

/** The port to check when none is given: the destination's first named port (a service's http port). */
export function defaultPort(e: Endpoint): number | undefined {
  if (e.kind !== 'pod') return undefined;
  return (e.pod.ports.find((p) => p.name === 'http') ?? e.pod.ports[0])?.port;
}
