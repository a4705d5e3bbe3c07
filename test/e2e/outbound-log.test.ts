/**
 * Every failed outbound call is reported once, with its service, method, host and (for APIs) path, and its
 * status or transport error — against the local stand-ins of the Linode and Kubernetes APIs (test/support),
 * ArgoCD's API server (the same Kubernetes stand-in), a probed endpoint and the bot's Slack client — and no
 * report carries the token, a query string or a webhook's secret path.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpKubeClient } from '../../src/bot/argo.js';
import { outbound } from '../../src/bot/outbound.js';
import { argoCdApiFromEnv } from '../../src/integrations/argocd.js';
import { kubernetesFromKubeconfig } from '../../src/integrations/kubernetes.js';
import { createLinodeApi } from '../../src/integrations/linode.js';
import { type OutboundFailure, outboundLine } from '../../src/net/outbound.js';
import { httpGet, reportingGet } from '../../src/probe/http.js';
import { startFakeArgoCd } from '../support/argocd-api.js';
import { type FakeKubernetes, startFakeKubernetes } from '../support/kubernetes-api.js';
import { type FakeLinode, startFakeLinode } from '../support/linode-api.js';

let linode: FakeLinode;
let kube: FakeKubernetes;
let closedPort: number;

async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  [linode, kube, closedPort] = await Promise.all([startFakeLinode(), startFakeKubernetes(), freePort()]);
});
afterAll(async () => {
  await Promise.all([linode?.close(), kube?.close()]);
});

/** A reporter that keeps what it is told, and the check that none of it carries a secret. */
function collect() {
  const seen: OutboundFailure[] = [];
  return {
    seen,
    report: (f: OutboundFailure) => void seen.push(f),
    noSecrets(...secrets: string[]) {
      const text = JSON.stringify(seen) + seen.map(outboundLine).join('\n');
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toContain('?');
    },
  };
}

describe('failed outbound calls are reported with service, method, host and status, never a secret', () => {
  it('the Linode API: a refused token is a 401 on the call that was made', async () => {
    const c = collect();
    const api = await createLinodeApi({
      token: 'wrong-linode-token-123',
      apiUrl: linode.url,
      report: c.report,
    });
    await expect(api.listObjectStorageKeys()).rejects.toThrow();
    const host = new URL(linode.url).host;
    expect(c.seen).toEqual([
      { service: 'linode', method: 'GET', host, path: '/v4/object-storage/keys', status: 401 },
    ]);
    expect(outboundLine(c.seen[0]!)).toBe(
      `outbound call failed: linode GET ${host}/v4/object-storage/keys → 401`,
    );
    // The right token works and reports nothing new.
    const ok = await createLinodeApi({ token: linode.token, apiUrl: linode.url, report: c.report });
    await ok.listObjectStorageKeys();
    expect(c.seen).toHaveLength(1);
    // Revoking a key that is already gone is an answer (false), not a failed call.
    await expect(ok.revokeObjectStorageKey(987_654)).resolves.toBe(false);
    expect(c.seen).toHaveLength(1);
    c.noSecrets('wrong-linode-token-123', linode.token);
  });

  it('the Kubernetes API: an error answer and no answer at all', async () => {
    const c = collect();
    const api = await kubernetesFromKubeconfig(kube.kubeconfig(), c.report);
    kube.fail({
      method: 'GET',
      path: '/namespaces/team-a/secrets/app',
      status: 500,
      reason: 'InternalError',
    });
    await expect(
      api.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'app' }),
    ).rejects.toThrow(/500/);
    const host = new URL(kube.url).host;
    expect(c.seen).toContainEqual({
      service: 'kubernetes',
      method: 'GET',
      host,
      path: '/api/v1/namespaces/team-a/secrets/app',
      status: 500,
    });
    const gone = await kubernetesFromKubeconfig(
      kube.kubeconfig().replace(kube.url, `http://127.0.0.1:${closedPort}`),
      c.report,
    );
    await expect(
      gone.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'app' }),
    ).rejects.toThrow();
    expect(c.seen.at(-1)).toMatchObject({
      service: 'kubernetes',
      method: 'GET',
      host: `127.0.0.1:${closedPort}`,
      error: expect.stringMatching(/ECONNREFUSED|fetch failed/),
    });
    c.noSecrets(kube.token);
  });

  it('the Kubernetes API: an object that is not there is an answer, not a failed call', async () => {
    const c = collect();
    const api = await kubernetesFromKubeconfig(kube.kubeconfig(), c.report);
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'not-there' };
    await expect(api.get(ref)).resolves.toBeUndefined();
    await expect(api.delete(ref)).resolves.toBe(false);
    expect(c.seen).toEqual([]);
    // A refused read of the same object is still one.
    kube.fail({
      method: 'GET',
      path: '/namespaces/team-a/secrets/not-there',
      status: 403,
      reason: 'Forbidden',
    });
    await expect(api.get(ref)).rejects.toThrow(/403/);
    expect(c.seen).toHaveLength(1);
    expect(c.seen[0]).toMatchObject({ method: 'GET', status: 403 });
  });

  it('ArgoCD: a refused sync through its API, and a refused Application read through the Kubernetes API', async () => {
    const argocd = await startFakeArgoCd({ projects: [], applications: [] });
    try {
      const c = collect();
      const api = argoCdApiFromEnv(
        { ENVC_ARGOCD_URL: argocd.url, ENVC_ARGOCD_TOKEN_PLATFORM: 'wrong-argocd-token-000' },
        c.report,
      )!;
      const r = await api.sync({ name: 'development-apps', project: 'platform', revision: 'abc' });
      expect(r.ok).toBe(false);
      expect(c.seen).toHaveLength(1);
      expect(c.seen[0]).toMatchObject({
        service: 'argocd',
        method: 'POST',
        host: new URL(argocd.url).host,
        path: '/api/v1/applications/development-apps/sync',
      });
      expect(c.seen[0]!.status).toBeGreaterThanOrEqual(400);
      c.noSecrets('wrong-argocd-token-000');
    } finally {
      await argocd.close();
    }
    const c = collect();
    const http = httpKubeClient(kube.url, undefined, async () => 'wrong-argocd-token-456', c.report);
    const r = await http.request({
      method: 'GET',
      path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/development',
    });
    expect(r.status).toBe(401);
    expect(c.seen).toEqual([
      {
        service: 'argocd',
        method: 'GET',
        host: new URL(kube.url).host,
        path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/development',
        status: 401,
      },
    ]);
    c.noSecrets('wrong-argocd-token-456');
  });

  it('probes: the status or the error, and only the host (a probed URL may carry a token)', async () => {
    const server = createServer((_req, res) => res.writeHead(503).end('down'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const c = collect();
      const get = reportingGet(httpGet, c.report);
      expect(
        (await get(`http://127.0.0.1:${port}/ping/hc-secret-789?token=abc`, { timeoutMs: 2000 })).status,
      ).toBe(503);
      await expect(
        get(`http://127.0.0.1:${closedPort}/ping/hc-secret-789`, { timeoutMs: 2000 }),
      ).rejects.toThrow();
      expect(c.seen).toEqual([
        { service: 'probe', method: 'GET', host: `127.0.0.1:${port}`, path: '/…', status: 503 },
        {
          service: 'probe',
          method: 'GET',
          host: `127.0.0.1:${closedPort}`,
          path: '/…',
          error: 'ECONNREFUSED',
        },
      ]);
      c.noSecrets('hc-secret-789', 'token=abc');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("the bot's Slack client: one warn line per failed call, through the same reporter", async () => {
    const server = createServer((_req, res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"ok":false}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const lines: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
    const log = {
      debug: () => {},
      info: () => {},
      warn: (msg: string, fields?: Record<string, unknown>) =>
        void lines.push({ msg, ...(fields ? { fields } : {}) }),
      error: () => {},
    } as unknown as Parameters<typeof outbound>[0];
    try {
      const net = outbound(log);
      const res = await net.fetch(`http://127.0.0.1:${port}/api/chat.postMessage?token=xoxb-secret-1`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-secret-2' },
        body: 'token=xoxb-secret-3',
      });
      expect(res.status).toBe(500);
      expect(lines).toEqual([
        {
          msg: 'outbound call failed',
          fields: {
            service: 'slack',
            method: 'POST',
            host: `127.0.0.1:${port}`,
            path: '/api/chat.postMessage',
            status: 500,
          },
        },
      ]);
      expect(JSON.stringify(lines)).not.toMatch(/xoxb-secret|token=/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
