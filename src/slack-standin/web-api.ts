import { argType, type MethodSpec, reference } from './reference.js';

/**
 * Checks one incoming Web API call against shared/reference/slack/web-api-methods.json: the method exists,
 * the HTTP method, the token (present, known, of an allowed type, with a needed scope), required arguments,
 * argument names and types. Arguments arrive as the node SDK sends them (form fields, JSON-encoded for
 * objects) or as a JSON body; they come back parsed.
 */
export interface CallInput {
  method: string;
  httpMethod: string;
  contentType: string;
  authorization?: string;
  /** Raw arguments: strings from a form / query, values from a JSON body. */
  args: Record<string, unknown>;
  isJsonBody: boolean;
}

export interface TokenInfo {
  type: 'bot' | 'user' | 'app';
  scopes: string[];
}

export type CallCheck =
  | { ok: true; args: Record<string, unknown>; token: string; tokenInfo: TokenInfo; spec: MethodSpec }
  | { ok: false; status: number; body: Record<string, unknown> };

/** Arguments every method takes: the token in the body and team_id (Bolt adds it for org-ready apps). */
const UNIVERSAL_ARGS = new Set(['token', 'team_id']);

function reject(error: string, extra: Record<string, unknown> = {}, status = 200): CallCheck {
  return { ok: false, status, body: { ok: false, error, ...extra } };
}

function parseValue(
  type: string,
  raw: unknown,
  isJson: boolean,
): { ok: true; value: unknown } | { ok: false; why: string } {
  if (type.startsWith('json<')) {
    const want = type.includes('[]') ? 'array' : 'object';
    let v = raw;
    if (typeof raw === 'string') {
      try {
        v = JSON.parse(raw);
      } catch {
        return { ok: false, why: 'is not valid JSON' };
      }
    } else if (!isJson) return { ok: false, why: 'must be a JSON string' };
    if (want === 'array' ? !Array.isArray(v) : typeof v !== 'object' || v === null || Array.isArray(v)) {
      return { ok: false, why: `must be a JSON ${want}` };
    }
    return { ok: true, value: v };
  }
  switch (type) {
    case 'string':
      if (typeof raw === 'string') return { ok: true, value: raw };
      return { ok: false, why: 'must be a string' };
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === '1') return { ok: true, value: true };
      if (raw === 'false' || raw === '0') return { ok: true, value: false };
      return { ok: false, why: 'must be a boolean' };
    case 'integer':
      if (typeof raw === 'number' && Number.isInteger(raw)) return { ok: true, value: raw };
      if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return { ok: true, value: Number(raw) };
      return { ok: false, why: 'must be an integer' };
    case 'string[]':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return { ok: true, value: raw };
      if (typeof raw === 'string') return { ok: true, value: raw.split(',') };
      return { ok: false, why: 'must be an array of strings' };
    default:
      return { ok: true, value: raw };
  }
}

export function tokenTypeOf(token: string): TokenInfo['type'] | undefined {
  const prefixes = reference().web.transport.request.token_prefixes;
  for (const [type, prefix] of Object.entries(prefixes)) {
    if (token.startsWith(prefix)) return type === 'app_level' ? 'app' : (type as TokenInfo['type']);
  }
  return undefined;
}

export function checkCall(input: CallInput, tokens: ReadonlyMap<string, TokenInfo>): CallCheck {
  const spec = reference().web.methods[input.method];
  if (!spec) return reject('unknown_method');
  // The node SDK POSTs every method; Slack also answers GET for read methods, never for write methods.
  if (input.httpMethod !== 'POST' && !(input.httpMethod === 'GET' && spec.http_method === 'GET')) {
    return reject('invalid_request', { detail: `${input.httpMethod} not allowed for ${input.method}` }, 405);
  }
  if (
    input.httpMethod === 'POST' &&
    !/^(application\/x-www-form-urlencoded|application\/json|multipart\/form-data)/.test(input.contentType)
  ) {
    return reject(input.contentType ? 'invalid_post_type' : 'missing_post_type');
  }

  const header = input.authorization?.match(/^Bearer\s+(\S+)$/)?.[1];
  const bodyToken = typeof input.args.token === 'string' ? input.args.token : undefined;
  if (input.isJsonBody && bodyToken && !header) return reject('not_authed');
  const token = header ?? bodyToken;
  if (!token) return reject('not_authed');
  if (input.method === 'apps.connections.open' && !header) return reject('not_authed');
  const info = tokens.get(token);
  if (!info) return reject('invalid_auth');
  const allowedTypes = spec.token_types.map((t) => t.split(/[\s(]/)[0]);
  if (!allowedTypes.includes(info.type)) return reject('not_allowed_token_type');
  if (typeof spec.scopes === 'object') {
    const needed = spec.scopes[info.type] ?? [];
    if (needed.length > 0 && !needed.some((s) => info.scopes.includes(s))) {
      return reject('missing_scope', { needed: needed.join(','), provided: info.scopes.join(',') });
    }
  }

  const parsed: Record<string, unknown> = {};
  const messages: string[] = [];
  const all = { ...spec.args.required, ...spec.args.optional };
  for (const [name, raw] of Object.entries(input.args)) {
    if (raw === undefined || raw === null) continue;
    if (UNIVERSAL_ARGS.has(name)) continue;
    const argSpec = all[name];
    if (!argSpec)
      return reject('invalid_arg_name', {
        response_metadata: { messages: [`[ERROR] unknown argument "${name}"`] },
      });
    const r = parseValue(argType(argSpec), raw, input.isJsonBody);
    if (!r.ok) {
      if (name === 'blocks')
        return reject('invalid_blocks_format', {
          response_metadata: { messages: [`[ERROR] blocks ${r.why}`] },
        });
      messages.push(`[ERROR] ${name} ${r.why} [json-pointer:/${name}]`);
      continue;
    }
    parsed[name] = r.value;
  }
  for (const name of Object.keys(spec.args.required)) {
    if (parsed[name] === undefined || parsed[name] === '') {
      if (name === 'channel') return reject('channel_not_found');
      messages.push(`[ERROR] missing required field: ${name} [json-pointer:/${name}]`);
    }
  }
  if (
    input.method === 'views.open' &&
    (parsed.trigger_id === undefined) === (parsed.interactivity_pointer === undefined)
  ) {
    messages.push('[ERROR] exactly one of trigger_id or interactivity_pointer is required');
  }
  if (
    input.method === 'views.update' &&
    (parsed.view_id === undefined) === (parsed.external_id === undefined)
  ) {
    messages.push('[ERROR] exactly one of view_id or external_id is required');
  }
  if (messages.length > 0) return reject('invalid_arguments', { response_metadata: { messages } });
  return { ok: true, args: parsed, token, tokenInfo: info, spec };
}

/** The fields a success response must carry (response_required), so the fake cannot drift from Slack. */
export function missingResponseFields(method: string, body: Record<string, unknown>): string[] {
  const spec = reference().web.methods[method];
  if (!spec) return [];
  return spec.response_required.filter((k) => body[k] === undefined);
}
