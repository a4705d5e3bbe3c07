/**
 * The bot's Kubernetes identity outside its own pod: a short-lived token for the `envc-bot` ServiceAccount,
 * minted with the TokenRequest API (`POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`,
 * authentication.k8s.io/v1) and refreshed before it expires. Never a legacy
 * `kubernetes.io/service-account-token` Secret (those never expire).
 *
 * The issuing credential (the environment's kubeconfig: a file, or LKE's from the Linode API at run time) is
 * used for that one call only; every other request carries the minted token, so what the bot can do is
 * exactly the generated RBAC of `envc-bot` (compiler/emitters/kubernetes/rbac.ts), and a leaked token is
 * worthless after `expirationSeconds`. The bot's own token cannot mint another (no `create` on
 * `serviceaccounts/token`), so it cannot outlive its expiry.
 */
import {
  type KubernetesApi,
  KubernetesApiError,
  kubernetesFromKubeconfig,
  toKubernetesError,
} from './kubernetes.js';

export interface BoundTokenOptions {
  namespace: string;
  serviceAccount: string;
  /** Token lifetime asked for; the API server's minimum is 600 s. Default 600. */
  expirationSeconds?: number;
  /** Audiences of the token; default the API server's own (left to the server). */
  audiences?: string[];
  /** Refresh once this share of the lifetime has passed (default 0.8, like the kubelet's projected tokens). */
  refreshAt?: number;
  now?: () => number;
}

export interface MintedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** One TokenRequest with the issuing kubeconfig; errors name the ServiceAccount, never the credentials. */
export async function requestServiceAccountToken(
  issuerKubeconfig: string,
  o: BoundTokenOptions,
): Promise<MintedToken> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromString(issuerKubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const now = o.now ?? Date.now;
  const issuedAt = now();
  try {
    const res = await core.createNamespacedServiceAccountToken({
      name: o.serviceAccount,
      namespace: o.namespace,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          expirationSeconds: o.expirationSeconds ?? 600,
          ...(o.audiences ? { audiences: o.audiences } : {}),
        } as never,
      },
    });
    const token = res.status?.token;
    const exp = res.status?.expirationTimestamp;
    if (!token || !exp)
      throw new KubernetesApiError('the TokenRequest answer carried no token', undefined, undefined);
    return { token, issuedAt, expiresAt: new Date(exp).getTime() };
  } catch (err) {
    throw toKubernetesError(`requesting a token for ServiceAccount ${o.namespace}/${o.serviceAccount}`, err);
  }
}

/** The issuing kubeconfig with its user replaced by the minted token (same cluster, same TLS settings). */
async function withToken(issuerKubeconfig: string, token: string): Promise<string> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromString(issuerKubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubernetesApiError('the kubeconfig has no current cluster', undefined, undefined);
  const bound = new k8s.KubeConfig();
  bound.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'envc-bot', token }],
    contexts: [{ name: 'envc-bot', cluster: cluster.name, user: 'envc-bot' }],
    currentContext: 'envc-bot',
  });
  return bound.exportConfig();
}

/**
 * A KubernetesApi that acts as the ServiceAccount: it mints a token now (so a missing ServiceAccount or
 * issuing right fails at connect time), mints a new one once `refreshAt` of the lifetime has passed, and
 * once more when the API server answers 401 (a token revoked or expired early), then retries that call.
 */
export async function boundKubernetes(
  issuerKubeconfig: string,
  o: BoundTokenOptions,
): Promise<KubernetesApi> {
  const now = o.now ?? Date.now;
  const share = o.refreshAt ?? 0.8;
  let current: { minted: MintedToken; api: KubernetesApi } | undefined;
  let pending: Promise<{ minted: MintedToken; api: KubernetesApi }> | undefined;

  const mint = () => {
    pending ??= (async () => {
      const minted = await requestServiceAccountToken(issuerKubeconfig, o);
      const api = await kubernetesFromKubeconfig(await withToken(issuerKubeconfig, minted.token));
      current = { minted, api };
      return current;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const stale = (m: MintedToken) => now() >= m.issuedAt + (m.expiresAt - m.issuedAt) * share;
  const fresh = async () => (current && !stale(current.minted) ? current : mint());

  const first = await fresh();
  const bound = {} as Record<string, unknown>;
  for (const key of Object.keys(first.api) as Array<keyof KubernetesApi>) {
    bound[key] = async (...args: unknown[]) => {
      const c = await fresh();
      const call = (api: KubernetesApi) => (api[key] as (...a: unknown[]) => Promise<unknown>)(...args);
      try {
        return await call(c.api);
      } catch (err) {
        if (!(err instanceof KubernetesApiError) || err.status !== 401) throw err;
        return call((await mint()).api);
      }
    };
  }
  return bound as unknown as KubernetesApi;
}
