import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import blockKitLimits from './contract/block-kit-limits.json' with { type: 'json' };
import requestSigning from './contract/request-signing.json' with { type: 'json' };
import webApiMethods from './contract/web-api-methods.json' with { type: 'json' };

/**
 * The published Slack contract facts the stand-in and the checker follow: the team's reference
 * (src/slack-standin/contract, data only; its README names the sources), bundled into the product so
 * `envc demo` checks every call the same way the tests do. `ENVC_SLACK_REFERENCE` names a directory with
 * newer copies of the three files; a directory without them is an error: a stand-in without its contract
 * would accept anything.
 */
function fromDir(dir: string) {
  if (!existsSync(join(dir, 'web-api-methods.json')))
    throw new Error(`Slack reference not found in ${dir} (ENVC_SLACK_REFERENCE)`);
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  return {
    web: read('web-api-methods.json'),
    blocks: read('block-kit-limits.json'),
    signing: read('request-signing.json'),
  };
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
  const dir = process.env.ENVC_SLACK_REFERENCE;
  cache = dir
    ? fromDir(dir)
    : {
        web: webApiMethods as unknown as WebApiReference,
        blocks: blockKitLimits,
        signing: requestSigning as Record<string, unknown>,
      };
  return cache;
}

export function argType(spec: ArgSpec): string {
  return typeof spec === 'string' ? spec : spec.type;
}
