import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dereference, validate as validateOpenApi } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../test/support/model.js';
import { buildHandoff, renderHandoffJson } from '../../compiler/emitters/handoff/sheet.js';
import type { Model } from '../../compiler/model.js';
import { handoffRoute, tokenMatches } from './handoff-route.js';

const OPENAPI = fileURLToPath(new URL('../../../docs/api/openapi.yaml', import.meta.url));
const TOKEN = 'test-token-5f1c0e';

type Doc = {
  paths: Record<
    string,
    { get: { responses: Record<string, { content?: Record<string, { schema: object }> }> } }
  >;
};

describe('GET /api/v1/handoff/{env}', () => {
  let server: Server;
  let base: string;
  let model: Model;
  let apiToken: string | undefined = TOKEN;
  const served: Array<{ env?: string; status: number }> = [];
  let responseSchema: (status: string, type: string) => ReturnType<Ajv2020['compile']>;

  beforeAll(async () => {
    model = await defaultModel();
    server = createServer((req, res) => {
      if (handoffRoute(req, res, { apiToken, model: () => model, onServed: (i) => served.push(i) })) return;
      res.writeHead(418).end('not the handoff route');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const doc = (await dereference(OPENAPI)) as unknown as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    responseSchema = (status, type) =>
      ajv.compile(doc.paths['/api/v1/handoff/{env}']!.get.responses[status]!.content![type]!.schema);
  });
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('the OpenAPI document is valid OpenAPI 3.1 and resolves the handoff schema', async () => {
    const r = await validateOpenApi(OPENAPI);
    expect(r).toMatchObject({ valid: true });
  });

  it('serves the same sheet as generated/handoff/<env>.json, valid against the OpenAPI response schema', async () => {
    const res = await get('/api/v1/handoff/production', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(text).toBe(
      renderHandoffJson(buildHandoff(model, model.environments.find((e) => e.name === 'production')!)),
    );
    const check = responseSchema('200', 'application/json');
    expect(check(JSON.parse(text)) ? [] : check.errors).toEqual([]);
    expect(served.at(-1)).toEqual({ env: 'production', status: 200 });
  });

  it('answers 304 to a matching If-None-Match and 200 again once the sheet changes', async () => {
    const first = await get('/api/v1/handoff/staging', auth);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await get('/api/v1/handoff/staging', { ...auth, 'if-none-match': etag })).status).toBe(304);
    const before = model;
    model = structuredClone(model);
    model.environments.find((e) => e.name === 'staging')!.quotas.services = 31;
    try {
      const changed = await get('/api/v1/handoff/staging', { ...auth, 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(((await changed.json()) as { limits: { services: number } }).limits.services).toBe(31);
    } finally {
      model = before;
    }
  });

  it('refuses a missing or malformed Authorization header with 401 and a Bearer challenge', async () => {
    for (const headers of [{}, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }] as Array<
      Record<string, string>
    >) {
      const res = await get('/api/v1/handoff/production', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="envc"');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const check = responseSchema('401', 'application/problem+json');
      expect(check(await res.json())).toBe(true);
    }
  });

  it('refuses a wrong token with invalid_token, and does not reveal which environments exist', async () => {
    const res = await get('/api/v1/handoff/production', { authorization: `Bearer ${TOKEN}x` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="envc", error="invalid_token"');
    const unknown = await get('/api/v1/handoff/nope', { authorization: 'Bearer wrong' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).not.toContain('production');
  });

  it('404 for an unknown environment names the known ones', async () => {
    const res = await get('/api/v1/handoff/prod', auth);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { detail: string; status: number };
    expect(body.status).toBe(404);
    expect(body.detail).toBe(
      'no environment "prod"; known environments: development, staging, production, system',
    );
    expect(responseSchema('404', 'application/problem+json')(body)).toBe(true);
    expect((await get('/api/v1/handoff/..%2Fetc', auth)).status).toBe(404);
  });

  it('is read-only: other methods get 405 with Allow', async () => {
    const res = await get('/api/v1/handoff/production', auth, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('HEAD has the headers of GET and no body', async () => {
    const res = await get('/api/v1/handoff/production', auth, 'HEAD');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await res.text()).toBe('');
  });

  it('503 when the bot has no API token configured', async () => {
    apiToken = undefined;
    try {
      const res = await get('/api/v1/handoff/production', auth);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toContain('ENVC_API_TOKEN');
    } finally {
      apiToken = TOKEN;
    }
  });

  it('leaves every other path to the server it is mounted on', async () => {
    for (const path of ['/api/v1/handoff', '/healthz', '/api/v1/other/production']) {
      expect((await get(path, auth)).status).toBe(418);
    }
  });
});

describe('tokenMatches', () => {
  it('compares whole tokens of any length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });
});
