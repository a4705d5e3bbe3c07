import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { callSite, failedStatus, type OutboundReporter, transportError } from '../net/outbound.js';

/**
 * After a production apply the bot starts an ArgoCD sync of the environment's applications to exactly the
 * approved revision (production syncs manually). ArgoCD watches its Application objects: setting
 * `.operation` (what `argocd app sync` does through the API server) starts a sync, so a PATCH through the
 * Kubernetes API is all it takes — no ArgoCD credentials, just RBAC on applications.argoproj.io.
 */
export interface ArgoSync {
  syncApplications(env: string, revision: string, opts?: { reason?: string }): Promise<ArgoSyncResult>;
}

export interface ArgoSyncResult {
  /** Applications whose sync operation was set. */
  applications: string[];
  /** Applications that could not be synced, with why (operation already running, API error). */
  failed: Array<{ name: string; error: string }>;
}

/** The narrow HTTP client the sync needs (the Kubernetes API server's REST interface). */
export interface KubeHttp {
  request(req: {
    method: 'GET' | 'PATCH';
    path: string;
    body?: unknown;
    contentType?: string;
  }): Promise<{ status: number; body: unknown }>;
}

export const ARGO_GROUP_VERSION = 'argoproj.io/v1alpha1';
/** The label the argo emitter puts on each environment's Applications. */
export const ENV_LABEL = 'envc.io/environment';

export interface ArgoOptions {
  /** Namespace of the Application objects (ArgoCD's own namespace). */
  namespace?: string;
  labelSelector?: (env: string) => string;
  initiatedBy?: string;
}

export function createArgoSync(http: KubeHttp, opts: ArgoOptions = {}): ArgoSync {
  const ns = opts.namespace ?? 'argocd';
  const selector = opts.labelSelector ?? ((env: string) => `${ENV_LABEL}=${env}`);
  const base = `/apis/${ARGO_GROUP_VERSION}/namespaces/${encodeURIComponent(ns)}/applications`;
  return {
    async syncApplications(env, revision, o = {}) {
      if (!/^[0-9a-f]{7,40}$|^[\w./-]+$/.test(revision))
        throw new Error(`refusing to sync to a malformed revision "${revision}"`);
      const list = await http.request({
        method: 'GET',
        path: `${base}?labelSelector=${encodeURIComponent(selector(env))}`,
      });
      if (list.status !== 200)
        throw new Error(
          `listing ArgoCD applications of ${env} answered HTTP ${list.status}: ${message(list.body)}`,
        );
      const items = ((list.body as { items?: unknown[] })?.items ?? []) as Array<{
        metadata?: { name?: string };
        status?: { operationState?: { phase?: string } };
      }>;
      const result: ArgoSyncResult = { applications: [], failed: [] };
      for (const app of items) {
        const name = app.metadata?.name;
        if (!name) continue;
        if (app.status?.operationState?.phase === 'Running') {
          result.failed.push({ name, error: 'another operation is already running' });
          continue;
        }
        const patch = {
          operation: {
            initiatedBy: { username: opts.initiatedBy ?? 'envc-bot', automated: false },
            info: [{ name: 'reason', value: o.reason ?? `envc: approved apply of ${env}` }],
            sync: { revision },
          },
        };
        const r = await http.request({
          method: 'PATCH',
          path: `${base}/${encodeURIComponent(name)}`,
          body: patch,
          contentType: 'application/merge-patch+json',
        });
        if (r.status === 200) result.applications.push(name);
        else result.failed.push({ name, error: `HTTP ${r.status}: ${message(r.body)}` });
      }
      return result;
    },
  };
}

function message(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body)
    return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body.slice(0, 200) : '';
}

/**
 * A KubeHttp for the cluster the bot runs in (the system cluster hosts ArgoCD): the service account token
 * and CA mounted in the pod, or ENVC_ARGO_KUBE_URL + ENVC_ARGO_KUBE_TOKEN (+ ENVC_ARGO_KUBE_CA file) when set.
 * Returns undefined when neither is available (the bot then reports that it cannot sync).
 */
export async function kubeHttpFromEnv(
  env: NodeJS.ProcessEnv,
  report?: OutboundReporter,
): Promise<KubeHttp | undefined> {
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  let url = env.ENVC_ARGO_KUBE_URL;
  let token = env.ENVC_ARGO_KUBE_TOKEN;
  let ca: string | undefined;
  if (env.ENVC_ARGO_KUBE_CA) ca = await readFile(env.ENVC_ARGO_KUBE_CA, 'utf8');
  if (!url && env.KUBERNETES_SERVICE_HOST) {
    url = `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`;
    token ??= await readFile(`${sa}/token`, 'utf8')
      .then((t) => t.trim())
      .catch(() => undefined);
    ca ??= await readFile(`${sa}/ca.crt`, 'utf8').catch(() => undefined);
  }
  if (!url) return undefined;
  return httpKubeClient(url, token, ca, report);
}

/** `report` is told of every failed call (an error status or no answer) to ArgoCD's API server. */
export function httpKubeClient(
  baseUrl: string,
  token?: string,
  ca?: string,
  report?: OutboundReporter,
): KubeHttp {
  const base = new URL(baseUrl);
  return {
    request: ({ method, path, body, contentType }) =>
      new Promise((resolve, reject) => {
        const u = new URL(path, base);
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string> = { accept: 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        if (payload !== undefined) {
          headers['content-type'] = contentType ?? 'application/json';
          headers['content-length'] = String(Buffer.byteLength(payload));
        }
        const fn = u.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = fn(u, { method, headers, ...(ca ? { ca } : {}), timeout: 15_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            const status = res.statusCode ?? 0;
            if (failedStatus(status)) report?.({ ...callSite('argocd', method, u), status });
            resolve({ status, body: parsed });
          });
        });
        req.on('timeout', () =>
          req.destroy(new Error(`Kubernetes API request timed out: ${method} ${u.pathname}`)),
        );
        req.on('error', (err) => {
          report?.({ ...callSite('argocd', method, u), error: transportError(err) });
          reject(err);
        });
        if (payload !== undefined) req.write(payload);
        req.end();
      }),
  };
}
