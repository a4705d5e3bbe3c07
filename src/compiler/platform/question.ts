/**
 * Questions over the flow model, for `envc traffic`: "can ArgoCD reach production's API?", "why can't
 * sample-service reach postgres?", or a --from/--to pair. The answer is every matching flow with its verdict
 * per layer and the layer and rule that decide. Pure.
 */
import type { PlatformFacts } from './facts.js';
import { evaluateFlow, type FlowResult, flowFacts } from './flow-check.js';
import { platformFlows } from './flows.js';

export interface PlatformAnswer {
  from: string;
  to: string;
  /** Every matching flow (one per environment, port or protocol it exists for). */
  results: FlowResult[];
  /** True when every matching connection gets through every layer. */
  allowed: boolean;
}

/** Words people use for an endpoint → the flow model's endpoint name (without environment). */
const ALIASES: Array<[RegExp, string]> = [
  [/^(?:the )?(?:kubernetes |k8s )?api(?:[ -]?server)?$|^control[ -]?plane$/i, 'api-server'],
  [/^(?:the )?(?:managed )?(?:postgres(?:ql)?|database|db)$/i, 'postgres'],
  [/^(?:the )?redis$/i, 'redis'],
  [/^(?:the )?object[ -]?storage$|^s3$/i, 'object-storage'],
  [/^(?:the )?argo ?cd$/i, 'argocd'],
  [/^(?:the )?(?:envc[ -])?bot$/i, 'envc-bot'],
  [/^(?:the )?ci$/i, 'ci'],
  [/^(?:the )?internet$/i, 'internet'],
];

/** Parses "can X reach Y?" / "why can't X reach Y?" into two endpoint texts. */
export function parseQuestion(text: string): { from: string; to: string } | undefined {
  const m =
    /^\s*(?:can|could|does|do|is|why\s+(?:can'?t|cannot|can\s+not|doesn'?t|does\s+not))\s+(.+?)\s+(?:reach|talk\s+to|connect\s+to|get\s+to|access)\s+(.+?)\s*\??\s*$/i.exec(
      text,
    );
  return m ? { from: m[1]!, to: m[2]! } : undefined;
}

interface Pattern {
  env?: string;
  name: string;
}

/** `production's API`, `production/api`, `sample-service`, `staging/team-a/sample-service`. */
export function parseEndpoint(text: string, envs: readonly string[]): Pattern {
  let t = text.trim().replace(/^the\s+/i, '');
  let env: string | undefined;
  const possessive = /^([\w-]+)'s\s+(.+)$/i.exec(t);
  if (possessive && envs.includes(possessive[1]!)) [env, t] = [possessive[1]!, possessive[2]!];
  const of = /^(.+?)\s+(?:of|in)\s+([\w-]+)$/i.exec(t);
  if (of && envs.includes(of[2]!)) [t, env] = [of[1]!, of[2]!];
  const parts = t.split('/');
  if (parts.length > 1 && envs.includes(parts[0]!)) {
    env = parts[0]!;
    t = parts.slice(1).join('/');
  }
  const alias = ALIASES.find(([re]) => re.test(t));
  return { ...(env ? { env } : {}), name: alias ? alias[1] : t };
}

function matches(p: Pattern, endpoint: string): boolean {
  if (p.name === endpoint) return !p.env;
  const [env, ...rest] = endpoint.split('/');
  if (p.env && env !== p.env) return false;
  const tail = rest.join('/');
  return tail === p.name || tail.endsWith(`/${p.name}`) || (p.env === undefined && endpoint === p.name);
}

/** Answers from the flow model; undefined when no flow of the model joins the two endpoints. */
export function askPlatform(facts: PlatformFacts, from: string, to: string): PlatformAnswer | undefined {
  const envs = facts.model.environments.map((e) => e.name);
  const f = parseEndpoint(from, envs);
  const t = parseEndpoint(to, envs);
  const ff = flowFacts(facts);
  let flows = platformFlows(ff, ff.universe).filter((x) => matches(f, x.from) && matches(t, x.to));
  // "sample-service → postgres" without environments means within each environment.
  if (!f.env && !t.env) flows = flows.filter((x) => !x.to.includes('/') || x.to.split('/')[0] === x.env);
  if (flows.length === 0) return undefined;
  const results = flows.map((x) => evaluateFlow(ff, x));
  return {
    from,
    to,
    results,
    allowed: results.every((r) => r.verdicts.every((v) => v.allowed)),
  };
}
