import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ArgoCdApi } from '../integrations/argocd.js';

/**
 * After a production apply the bot starts an ArgoCD sync of the environment's applications to exactly the
 * approved revision (production syncs manually). It finds them through the Kubernetes API (read-only RBAC on
 * applications.argoproj.io) and starts each sync through the ArgoCD API with its project role's token, whose
 * only right is `sync` of envc's named Applications: it can never patch an Application's spec.
 */
export interface ArgoSync {
  syncApplications(env: string, revision: string, opts?: { reason?: string }): Promise<ArgoSyncResult>;
}

export interface ArgoSyncResult {
  /** Applications whose sync was started. */
  applications: string[];
  /** Applications that could not be synced, with why (operation already running, API error, no token). */
  failed: Array<{ name: string; error: string }>;
}

/** The narrow HTTP client the listing needs (the Kubernetes API server's REST interface, GET only). */
export interface KubeHttp {
  request(req: { method: 'GET'; path: string }): Promise<{ status: number; body: unknown }>;
}

export const ARGO_GROUP_VERSION = 'argoproj.io/v1alpha1';
/** The label the argo emitter puts on each environment's Applications. */
export const ENV_LABEL = 'envc.io/environment';

export interface ArgoOptions {
  /** Namespace of the Application objects (ArgoCD's own namespace). */
  namespace?: string;
  labelSelector?: (env: string) => string;
}

export function createArgoSync(kube: KubeHttp, argocd: ArgoCdApi, opts: ArgoOptions = {}): ArgoSync {
  const ns = opts.namespace ?? 'argocd';
  const selector = opts.labelSelector ?? ((env: string) => `${ENV_LABEL}=${env}`);
  const base = `/apis/${ARGO_GROUP_VERSION}/namespaces/${encodeURIComponent(ns)}/applications`;
  return {
    async syncApplications(env, revision, o = {}) {
      if (!/^[0-9a-f]{7,40}$|^[\w./-]+$/.test(revision))
        throw new Error(`refusing to sync to a malformed revision "${revision}"`);
      const list = await kube.request({
        method: 'GET',
        path: `${base}?labelSelector=${encodeURIComponent(selector(env))}`,
      });
      if (list.status !== 200)
        throw new Error(
          `listing ArgoCD applications of ${env} answered HTTP ${list.status}: ${message(list.body)}`,
        );
      const items = ((list.body as { items?: unknown[] })?.items ?? []) as Array<{
        metadata?: { name?: string };
        spec?: { project?: string };
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
        const r = await argocd.sync({
          name,
          project: app.spec?.project ?? 'default',
          appNamespace: ns,
          revision,
          reason: o.reason ?? `envc: approved apply of ${env}`,
        });
        if (r.ok) result.applications.push(name);
        else result.failed.push({ name, error: `${r.status ? `HTTP ${r.status}: ` : ''}${r.message}` });
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
export async function kubeHttpFromEnv(env: NodeJS.ProcessEnv): Promise<KubeHttp | undefined> {
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  let url = env.ENVC_ARGO_KUBE_URL;
  const token = env.ENVC_ARGO_KUBE_TOKEN;
  let ca: string | undefined;
  if (env.ENVC_ARGO_KUBE_CA) ca = await readFile(env.ENVC_ARGO_KUBE_CA, 'utf8');
  if (!url && env.KUBERNETES_SERVICE_HOST) {
    url = `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`;
    ca ??= await readFile(`${sa}/ca.crt`, 'utf8').catch(() => undefined);
    // The projected token is rotated by the kubelet (it expires): read it for every request.
    if (!token)
      return httpKubeClient(url, ca, () =>
        readFile(`${sa}/token`, 'utf8')
          .then((t) => t.trim())
          .catch(() => undefined),
      );
  }
  if (!url) return undefined;
  return httpKubeClient(url, ca, async () => token);
}

export function httpKubeClient(
  baseUrl: string,
  ca: string | undefined,
  token: () => Promise<string | undefined>,
): KubeHttp {
  const base = new URL(baseUrl);
  return {
    request: async ({ method, path }) => {
      const bearer = await token();
      return new Promise((resolve, reject) => {
        const u = new URL(path, base);
        const headers: Record<string, string> = { accept: 'application/json' };
        if (bearer) headers.authorization = `Bearer ${bearer}`;
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
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('timeout', () =>
          req.destroy(new Error(`Kubernetes API request timed out: ${method} ${u.pathname}`)),
        );
        req.on('error', reject);
        req.end();
      });
    },
  };
}
