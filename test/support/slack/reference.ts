import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The published Slack contract facts the fake and the checker follow: a copy of the team's reference
 * (test/fixtures/slack, data only; its README names the sources). `ENVC_SLACK_REFERENCE` overrides. Missing
 * files are an error: a fake without its contract would accept anything.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function referenceDir(): string {
  const candidates = [process.env.ENVC_SLACK_REFERENCE, join(repoRoot, 'test/fixtures/slack')].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  for (const dir of candidates) {
    if (existsSync(join(dir, 'web-api-methods.json'))) return dir;
  }
  throw new Error(`Slack reference not found (looked in ${candidates.join(', ')}); set ENVC_SLACK_REFERENCE`);
}

export type ArgSpec = string | { type: string; note?: string };

export interface MethodSpec {
  http_method: 'GET' | 'POST';
  token_types: string[];
  scopes: string | Record<string, string[]>;
  argument_rule?: string;
  args: { required: Record<string, ArgSpec>; optional: Record<string, ArgSpec> };
  response_required: string[];
  errors_key: string[];
  errors_method_specific?: string[];
}

export interface WebApiReference {
  transport: { request: { token_prefixes: Record<string, string> }; rate_limiting: { http_status: number } };
  common_errors: string[];
  methods: Record<string, MethodSpec>;
}

// biome-ignore lint/suspicious/noExplicitAny: the limits file is read field by field by the checker.
export type BlockKitLimits = any;

let cache: { web: WebApiReference; blocks: BlockKitLimits; signing: Record<string, unknown> } | undefined;

export function reference(): {
  web: WebApiReference;
  blocks: BlockKitLimits;
  signing: Record<string, unknown>;
} {
  if (cache) return cache;
  const dir = referenceDir();
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  cache = {
    web: read('web-api-methods.json'),
    blocks: read('block-kit-limits.json'),
    signing: read('request-signing.json'),
  };
  return cache;
}

export function argType(spec: ArgSpec): string {
  return typeof spec === 'string' ? spec : spec.type;
}
