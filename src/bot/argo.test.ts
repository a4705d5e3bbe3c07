import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { afterEach, describe, expect, it } from 'vitest';
import { createArgoSync, httpKubeClient } from './argo.js';

/**
 * A tiny Kubernetes API for Application objects: list by label selector, JSON merge patch (content type
 * checked), bearer token, results validated with kubernetes-models' Application schema and the fields of
 * Operation (kubernetes-models does not reject unknown fields, so those are checked here).
 */
const TOKEN = 'k8s-test-token';
const OPERATION_KEYS = new Set(['info', 'initiatedBy', 'retry', 'sync']);
const SYNC_KEYS = new Set([
  'autoHealAttemptsCount',
  'dryRun',
  'manifests',
  'prune',
  'resources',
  'revision',
  'revisions',
  'source',
  'sources',
  'syncOptions',
  'syncStrategy',
]);

// biome-ignore lint/suspicious/noExplicitAny: the fake API handles arbitrary JSON objects.
type Obj = Record<string, any>;

function app(name: string, env: string, phase?: string): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', labels: { 'envc.io/environment': env } },
    spec: {
      project: env,
      source: {
        repoURL: 'https://github.com/acme/platform.git',
        path: `generated/kubernetes/${env}`,
        targetRevision: 'main',
      },
      destination: { name: env, namespace: 'default' },
    },
    ...(phase
      ? { status: { operationState: { phase, operation: {}, startedAt: '2026-11-26T00:00:00Z' } } }
      : {}),
  };
}

function merge(target: Obj, patch: Obj): Obj {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (v && typeof v === 'object' && !Array.isArray(v))
      target[k] = merge(target[k] && typeof target[k] === 'object' ? target[k] : {}, v);
    else target[k] = v;
  }
  return target;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((ok) => (server ? server.close(() => ok()) : ok())));

async function start(apps: Obj[]) {
  const requests: Array<{ method: string; path: string; contentType?: string; body?: Obj }> = [];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({
        method: req.method!,
        path: url.pathname + url.search,
        contentType: req.headers['content-type'],
        body,
      });
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return send(401, { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
      const m = url.pathname.match(
        /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications(?:\/([^/]+))?$/,
      );
      if (!m) return send(404, { kind: 'Status', reason: 'NotFound', code: 404 });
      if (req.method === 'GET' && !m[2]) {
        const [k, v] = (url.searchParams.get('labelSelector') ?? '').split('=');
        return send(200, {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationList',
          items: apps.filter((a) => a.metadata.namespace === m[1] && (!k || a.metadata.labels?.[k] === v)),
        });
      }
      if (req.method === 'PATCH' && m[2]) {
        if (req.headers['content-type'] !== 'application/merge-patch+json')
          return send(415, { kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
        const target = apps.find((a) => a.metadata.name === m[2] && a.metadata.namespace === m[1]);
        if (!target) return send(404, { kind: 'Status', reason: 'NotFound', code: 404 });
        const unknown = [
          ...Object.keys(body.operation ?? {}).filter((k) => !OPERATION_KEYS.has(k)),
          ...Object.keys(body.operation?.sync ?? {}).filter((k) => !SYNC_KEYS.has(k)),
        ];
        if (unknown.length)
          return send(400, {
            kind: 'Status',
            reason: 'BadRequest',
            message: `unknown field(s) ${unknown.join(', ')}`,
            code: 400,
          });
        const next = merge(structuredClone(target), body);
        try {
          new Application(next as never).validate();
        } catch (err) {
          return send(422, { kind: 'Status', reason: 'Invalid', message: String(err), code: 422 });
        }
        Object.assign(target, next);
        return send(200, target);
      }
      send(405, { kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

describe('ArgoCD sync through the Kubernetes API', () => {
  it("sets .operation.sync.revision on each of the environment's applications, and only those", async () => {
    const apps = [
      app('production-platform', 'production'),
      app('production-sample-service', 'production'),
      app('staging-platform', 'staging'),
    ];
    const k8s = await start(apps);
    const argo = createArgoSync(httpKubeClient(k8s.url, TOKEN));
    const r = await argo.syncApplications('production', '0123456789abcdef0123456789abcdef01234567', {
      reason: 'envc: approved digest 1a2b',
    });
    expect(r).toEqual({ applications: ['production-platform', 'production-sample-service'], failed: [] });
    for (const a of apps.slice(0, 2)) {
      expect(a.operation).toEqual({
        initiatedBy: { username: 'envc-bot', automated: false },
        info: [{ name: 'reason', value: 'envc: approved digest 1a2b' }],
        sync: { revision: '0123456789abcdef0123456789abcdef01234567' },
      });
    }
    expect(apps[2]!.operation).toBeUndefined();
    expect(k8s.requests[0]!.path).toBe(
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?labelSelector=envc.io%2Fenvironment%3Dproduction',
    );
    expect(
      k8s.requests
        .filter((q) => q.method === 'PATCH')
        .every((q) => q.contentType === 'application/merge-patch+json'),
    ).toBe(true);
  });

  it('reports an application with a running operation instead of overriding it', async () => {
    const apps = [app('production-platform', 'production', 'Running'), app('production-b', 'production')];
    const k8s = await start(apps);
    const r = await createArgoSync(httpKubeClient(k8s.url, TOKEN)).syncApplications('production', 'abcdef1');
    expect(r.applications).toEqual(['production-b']);
    expect(r.failed).toEqual([
      { name: 'production-platform', error: 'another operation is already running' },
    ]);
    expect(apps[0]!.operation).toBeUndefined();
  });

  it('fails with the API status when the token is wrong, and refuses malformed revisions', async () => {
    const k8s = await start([app('production-platform', 'production')]);
    await expect(
      createArgoSync(httpKubeClient(k8s.url, 'wrong')).syncApplications('production', 'abcdef1'),
    ).rejects.toThrow(/HTTP 401/);
    await expect(
      createArgoSync(httpKubeClient(k8s.url, TOKEN)).syncApplications('production', 'main; rm -rf /'),
    ).rejects.toThrow(/malformed revision/);
  });
});
