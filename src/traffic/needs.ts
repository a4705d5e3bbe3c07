/**
 * What an app team declares its workloads need, and the check of those needs against the policies
 * (`envc traffic --manifests ... --check`). Two ways to declare, both documented in docs/traffic.md:
 *
 *   - an annotation on a workload (its metadata or its pod template):
 *       envc.io/needs: "api:8080, data/redis:6379, 203.0.113.10:443"
 *   - a needs file (`--needs FILE`):
 *       needs:
 *         - { from: team-a/web, to: team-a/api:8080 }
 *         - { from: web, to: 203.0.113.10:443, protocol: TCP }
 *
 * Endpoints are those of `envc traffic` without the environment: `<namespace>/<name>`, `<name>`,
 * `<namespace>/*` or an IP address, with `:<port>` on the destination. Pure.
 */
import { parse } from 'yaml';
import { evaluate, type Protocol, type Verdict } from './evaluate.js';
import { query } from './query.js';
import type { Universe } from './universe.js';
import { podTemplateOf, type RawObject } from './workloads.js';

export const NEEDS_ANNOTATION = 'envc.io/needs';

export interface Need {
  from: string;
  to: string;
  protocol: Protocol;
  /** Where it was declared (a file, or `Deployment team-a/web`). */
  declaredIn: string;
}

export interface NeedResult {
  need: Need;
  allowed: boolean;
  /** The policy that denies it (or allows it). */
  decidedBy?: string;
  reason: string;
}

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Needs declared by annotations on workloads. */
export function needsFromAnnotations(objects: readonly RawObject[]): Need[] {
  const out: Need[] = [];
  for (const o of objects) {
    const template = podTemplateOf(o);
    if (!template) continue;
    const text =
      o.metadata?.annotations?.[NEEDS_ANNOTATION] ?? template.metadata?.annotations?.[NEEDS_ANNOTATION];
    if (!text) continue;
    const ns = o.metadata?.namespace || 'default';
    for (const to of text.split(/[\s,]+/).filter(Boolean)) {
      // `api:8080` or `api:8080/UDP`.
      const m = /^(.*?)(?:\/(TCP|UDP|SCTP))?$/i.exec(to)!;
      const target = m[1]!;
      const proto = (m[2] ?? 'TCP').toUpperCase();
      out.push({
        from: `${ns}/${o.metadata?.name ?? ''}`,
        to: target,
        protocol: proto as Protocol,
        declaredIn: `${o.kind} ${ns}/${o.metadata?.name ?? ''}`,
      });
    }
  }
  return out;
}

/** Parses a needs file; an error names the entry. */
export function parseNeedsFile(name: string, text: string): Need[] | { error: string } {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { error: `${name}: ${(err as Error).message.split('\n')[0]}` };
  }
  const list = (data as { needs?: unknown } | null)?.needs;
  if (!Array.isArray(list)) return { error: `${name}: expected a top-level \`needs:\` list` };
  const out: Need[] = [];
  for (const [i, n] of list.entries()) {
    const e = n as { from?: unknown; to?: unknown; protocol?: unknown };
    if (typeof e?.from !== 'string' || typeof e.to !== 'string')
      return { error: `${name}: needs[${i}] must have string \`from\` and \`to\`` };
    const protocol = String(e.protocol ?? 'TCP').toUpperCase() as Protocol;
    if (!PROTOCOLS.includes(protocol))
      return { error: `${name}: needs[${i}].protocol must be TCP, UDP or SCTP` };
    out.push({ from: e.from, to: e.to, protocol, declaredIn: `${name} needs[${i}]` });
  }
  return out;
}

const isIp = (s: string) => /^[0-9.]+(:\d+)?$/.test(s) || s.includes('::') || s.startsWith('[');
const inEnv = (env: string, endpoint: string) => (isIp(endpoint) ? endpoint : `${env}/${endpoint}`);

/** Evaluates every need in `env`. An endpoint that does not exist is a failed need, with the reason. */
export function checkNeeds(u: Universe, env: string, needs: readonly Need[]): NeedResult[] {
  return needs.map((need) => {
    const v = query(u, { from: inEnv(env, need.from), to: inEnv(env, need.to), protocol: need.protocol });
    if ('error' in v) return { need, allowed: false, reason: v.error };
    return { need, allowed: v.allowed, ...(v.decidedBy ? { decidedBy: v.decidedBy } : {}), reason: v.reason };
  });
}

/** Every pod → pod/port connection in `env` with its verdict (the `--manifests` connectivity list). */
export function connectivity(u: Universe, env: string): Verdict[] {
  const pods = u.pods.filter((p) => p.env === env);
  const out: Verdict[] = [];
  for (const from of pods)
    for (const to of pods)
      for (const port of to.ports)
        out.push(evaluate(u, { kind: 'pod', pod: from }, { kind: 'pod', pod: to }, port.port, port.protocol));
  return out;
}
