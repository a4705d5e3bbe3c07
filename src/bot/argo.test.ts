import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeArgoCd, startFakeArgoCd } from '../../test/support/argocd-api.js';
import { botProjectRole, ROOT_PROJECT } from '../compiler/emitters/kubernetes/argocd.js';
import { argoCdApi } from '../integrations/argocd.js';
import { createArgoSync, httpKubeClient } from './argo.js';

/**
 * A tiny Kubernetes API for listing Application objects (label selector, bearer token, GET only: the bot's
 * RBAC on applications.argoproj.io is get/list/watch), and the local ArgoCD API (test/support/argocd-api.ts)
 * with the AppProjects' bot roles as the emitter writes them.
 */
const TOKEN = 'k8s-test-token';

// biome-ignore lint/suspicious/noExplicitAny: the fake API handles arbitrary JSON objects.
type Obj = Record<string, any>;

function app(name: string, project: string, phase?: string): Obj {
  const env = project === ROOT_PROJECT ? name.replace(/^envc-|-root$/g, '') : project;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', labels: { 'envc.io/environment': env } },
    spec: {
      project,
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

const project = (name: string, apps: string[]): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name, namespace: 'argocd' },
  spec: { roles: [botProjectRole(name, apps)] },
});

let server: Server | undefined;
let argo: FakeArgoCd | undefined;
afterEach(async () => {
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  await argo?.close();
});

async function start(apps: Obj[]) {
  const requests: Array<{ method: string; path: string }> = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    requests.push({ method: req.method!, path: url.pathname + url.search });
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return send(401, { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const m = url.pathname.match(/^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications$/);
    if (!m) return send(404, { kind: 'Status', reason: 'NotFound', code: 404 });
    if (req.method !== 'GET') return send(403, { kind: 'Status', reason: 'Forbidden', code: 403 });
    const [k, v] = (url.searchParams.get('labelSelector') ?? '').split('=');
    return send(200, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationList',
      items: apps.filter((a) => a.metadata.namespace === m[1] && (!k || a.metadata.labels?.[k] === v)),
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  argo = await startFakeArgoCd({
    projects: [
      project('production', ['production-baseline', 'production-sample-service']),
      project('staging', ['staging-baseline']),
      project(ROOT_PROJECT, ['envc-production-root', 'envc-staging-root']),
    ],
    applications: apps,
  });
  const tokens: Record<string, string> = {
    production: argo.projectToken('production', 'bot'),
    [ROOT_PROJECT]: argo.projectToken(ROOT_PROJECT, 'bot'),
  };
  const kubeUrl = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const kube = httpKubeClient(kubeUrl, undefined, async () => TOKEN);
  const api = argoCdApi({ url: argo.url, tokens: async (p) => tokens[p] });
  return { kube, kubeUrl, api, tokens, argo, requests };
}

describe('ArgoCD sync through the ArgoCD API with the bot project roles', () => {
  it("starts a sync of each of the environment's applications at the revision, with its project's token, and only those", async () => {
    const apps = [
      app('production-baseline', 'production'),
      app('production-sample-service', 'production'),
      app('envc-production-root', ROOT_PROJECT),
      app('staging-baseline', 'staging'),
    ];
    const w = await start(apps);
    const r = await createArgoSync(w.kube, w.api).syncApplications(
      'production',
      '0123456789abcdef0123456789abcdef01234567',
      { reason: 'envc: approved digest 1a2b' },
    );
    expect(r).toEqual({
      applications: ['production-baseline', 'production-sample-service', 'envc-production-root'],
      failed: [],
    });
    expect(apps[0]!.operation).toEqual({
      sync: { revision: '0123456789abcdef0123456789abcdef01234567' },
      initiatedBy: { username: 'proj:production:bot' },
      info: [{ name: 'reason', value: 'envc: approved digest 1a2b' }],
    });
    expect(apps[2]!.operation.initiatedBy).toEqual({ username: `proj:${ROOT_PROJECT}:bot` });
    expect(apps[3]!.operation).toBeUndefined();
    expect(w.requests.map((q) => q.method)).toEqual(['GET']);
    expect(w.argo.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'POST /api/v1/applications/production-baseline/sync 200',
      'POST /api/v1/applications/production-sample-service/sync 200',
      'POST /api/v1/applications/envc-production-root/sync 200',
    ]);
  });

  it("the bot's token cannot patch, update or delete an Application, nor sync one it is not named for", async () => {
    const apps = [app('production-baseline', 'production'), app('production-rogue', 'production')];
    const w = await start(apps);
    const call = (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${w.argo.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Obj }));
    const prod = w.tokens.production!;
    const patch = await call('PATCH', '/api/v1/applications/production-baseline', prod, {
      name: 'production-baseline',
      patchType: 'merge',
      patch: JSON.stringify({ spec: { syncPolicy: { automated: { prune: true, selfHeal: true } } } }),
    });
    expect(patch.status).toBe(403);
    expect(patch.body.message).toMatch(
      /^permission denied: applications, update, production\/production-baseline, sub: proj:production:bot/,
    );
    expect(apps[0]!.spec.syncPolicy).toBeUndefined();
    const put = await call('PUT', '/api/v1/applications/production-baseline', prod, {
      metadata: { name: 'production-baseline' },
      spec: { ...apps[0]!.spec, source: { ...apps[0]!.spec.source, path: 'evil' } },
    });
    expect(put.status).toBe(403);
    expect((await call('DELETE', '/api/v1/applications/production-baseline', prod)).status).toBe(403);
    expect((await call('GET', '/api/v1/applications/production-baseline', prod)).status).toBe(403);
    // Not named in the role: no sync either; and a project's token never reaches another project.
    const r = await createArgoSync(w.kube, w.api).syncApplications('production', 'abcdef1');
    expect(r.applications).toEqual(['production-baseline']);
    expect(r.failed).toEqual([
      {
        name: 'production-rogue',
        error: expect.stringMatching(
          /^HTTP 403: permission denied: applications, sync, production\/production-rogue/,
        ),
      },
    ]);
    const cross = await call('POST', '/api/v1/applications/envc-production-root/sync', prod, {
      name: 'envc-production-root',
    });
    expect(cross.status).toBe(403);
  });

  it('reports an application with a running operation instead of overriding it', async () => {
    const apps = [
      app('production-baseline', 'production', 'Running'),
      app('production-sample-service', 'production'),
    ];
    const w = await start(apps);
    const r = await createArgoSync(w.kube, w.api).syncApplications('production', 'abcdef1');
    expect(r.applications).toEqual(['production-sample-service']);
    expect(r.failed).toEqual([
      { name: 'production-baseline', error: 'another operation is already running' },
    ]);
    expect(apps[0]!.operation).toBeUndefined();
  });

  it('fails with the API status when a token is wrong or missing, and refuses malformed revisions', async () => {
    const w = await start([app('production-baseline', 'production'), app('staging-baseline', 'staging')]);
    await expect(
      createArgoSync(
        httpKubeClient(w.kubeUrl, undefined, async () => 'wrong'),
        w.api,
      ).syncApplications('production', 'abcdef1'),
    ).rejects.toThrow(/HTTP 401/);
    const wrong = argoCdApi({ url: w.argo.url, tokens: async () => 'forged' });
    expect((await createArgoSync(w.kube, wrong).syncApplications('production', 'abcdef1')).failed).toEqual([
      { name: 'production-baseline', error: 'HTTP 401: invalid session: token signature is invalid' },
    ]);
    expect((await createArgoSync(w.kube, w.api).syncApplications('staging', 'abcdef1')).failed).toEqual([
      {
        name: 'staging-baseline',
        error: 'no ArgoCD token for project "staging" (set ENVC_ARGOCD_TOKEN_STAGING)',
      },
    ]);
    await expect(
      createArgoSync(w.kube, w.api).syncApplications('production', 'main; rm -rf /'),
    ).rejects.toThrow(/malformed revision/);
  });
});
