/**
 * The Kubernetes API as rotation and JIT access need it, through the official @kubernetes/client-node
 * (imported lazily: it is heavy): server-side apply, get/list/delete (RoleBindings and ClusterRoleBindings
 * among them), rollout restart and readiness of a Deployment, and the Sealed Secrets controller's certificate.
 * One client per environment, built from that environment's kubeconfig (see `kubeconfigFor`).
 */
import { callSite, type OutboundReporter, transportError } from '../net/outbound.js';
import { reportFailures } from './kubernetes-outbound.js';

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [field: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface RolloutStatus {
  done: boolean;
  /** The rollout can not finish (progress deadline exceeded): stop waiting. */
  failed: boolean;
  message: string;
}

export interface KubernetesApi {
  /** Server-side apply (PATCH application/apply-patch+yaml) under envc's field manager. */
  apply(obj: KubeObject, opts?: { fieldManager?: string; force?: boolean }): Promise<KubeObject>;
  /** POST (verb `create`); an object that already exists is returned as it is, with `created: false`. */
  create(obj: KubeObject): Promise<{ created: boolean; object: KubeObject }>;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every page (limit/continue) of a list. */
  list(q: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    labelSelector?: string;
    pageSize?: number;
  }): Promise<KubeObject[]>;
  /** False when the object did not exist. */
  delete(ref: ObjectRef): Promise<boolean>;
  listRoleBindings(namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  listClusterRoleBindings(labelSelector?: string): Promise<KubeObject[]>;
  deleteRoleBinding(namespace: string, name: string): Promise<boolean>;
  deleteClusterRoleBinding(name: string): Promise<boolean>;
  /** What `kubectl rollout restart` does: stamp the pod template so the Deployment rolls its pods. */
  restartDeployment(namespace: string, name: string, at: Date): Promise<void>;
  rolloutStatus(namespace: string, name: string): Promise<RolloutStatus>;
  waitForRollout(
    namespace: string,
    name: string,
    opts?: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal },
  ): Promise<RolloutStatus>;
  /** The controller's certificate PEM, through the API server's service proxy (`/v1/cert.pem`). */
  sealedSecretsCertificate(opts?: { namespace?: string; service?: string }): Promise<string>;
}

export class KubernetesApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}

export const FIELD_MANAGER = 'envc';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
/** Where envc's Helm values install the controller (PLATFORM.sealedSecrets) and its service name. */
export const DEFAULT_SEALED_SECRETS = {
  namespace: 'sealed-secrets',
  service: 'sealed-secrets-controller',
} as const;

/** Builds a client from kubeconfig YAML. The heavy client library is loaded here, on first use. */
export async function kubernetesFromKubeconfig(
  kubeconfigYaml: string,
  report?: OutboundReporter,
): Promise<KubernetesApi> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  if (report) reportFailures(objects, report);

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toKubernetesError(what, err);
    }
  };
  const plain = (o: unknown): KubeObject => JSON.parse(JSON.stringify(o)) as KubeObject;
  const describe = (r: { kind: string; name: string; namespace?: string }) =>
    `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const header = (r: ObjectRef) => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
  });

  const api: KubernetesApi = {
    async apply(obj, opts = {}) {
      const res = await call(`applying ${describe({ kind: obj.kind, ...obj.metadata })}`, () =>
        objects.patch(
          // biome-ignore lint/suspicious/noExplicitAny: client-node's KubernetesObject typing is narrower than ours
          structuredClone(obj) as any,
          undefined,
          undefined,
          opts.fieldManager ?? FIELD_MANAGER,
          opts.force ?? true,
          k8s.PatchStrategy.ServerSideApply,
        ),
      );
      return plain(res);
    },
    async create(obj) {
      try {
        // biome-ignore lint/suspicious/noExplicitAny: client-node's KubernetesObject typing is narrower than ours
        const res = await objects.create(structuredClone(obj) as any, undefined, undefined, FIELD_MANAGER);
        return { created: true, object: plain(res) };
      } catch (err) {
        const e = toKubernetesError(`creating ${describe({ kind: obj.kind, ...obj.metadata })}`, err);
        if (e.status !== 409) throw e;
        const existing = await api.get({
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        });
        if (!existing) throw e;
        return { created: false, object: existing };
      }
    },
    async get(ref) {
      try {
        return plain(await objects.read(header(ref)));
      } catch (err) {
        const e = toKubernetesError(`reading ${describe(ref)}`, err);
        if (e.status === 404) return undefined;
        throw e;
      }
    },
    async list(q) {
      const out: KubeObject[] = [];
      let token: string | undefined;
      do {
        const page = await call(`listing ${q.kind}${q.namespace ? ` in ${q.namespace}` : ''}`, () =>
          objects.list(
            q.apiVersion,
            q.kind,
            q.namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            q.labelSelector,
            q.pageSize ?? 100,
            token,
          ),
        );
        for (const item of page.items) {
          // List items carry no apiVersion/kind on the wire; put them back so callers can tell objects apart.
          out.push({ ...plain(item), apiVersion: q.apiVersion, kind: q.kind });
        }
        const meta = page.metadata as { _continue?: string; continue?: string } | undefined;
        token = meta?._continue || meta?.continue || undefined;
      } while (token);
      return out;
    },
    async delete(ref) {
      try {
        await objects.delete(header(ref));
        return true;
      } catch (err) {
        const e = toKubernetesError(`deleting ${describe(ref)}`, err);
        if (e.status === 404) return false;
        throw e;
      }
    },
    listRoleBindings: (namespace, labelSelector) =>
      api.list({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        ...(namespace ? { namespace } : {}),
        ...(labelSelector ? { labelSelector } : {}),
      }),
    listClusterRoleBindings: (labelSelector) =>
      api.list({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        ...(labelSelector ? { labelSelector } : {}),
      }),
    deleteRoleBinding: (namespace, name) =>
      api.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace, name }),
    deleteClusterRoleBinding: (name) =>
      api.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name }),
    async restartDeployment(namespace, name, at) {
      const patch = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at.toISOString() } } } },
      };
      await call(`restarting Deployment ${namespace}/${name}`, () =>
        objects.patch(
          // biome-ignore lint/suspicious/noExplicitAny: a partial Deployment is a valid strategic merge patch
          patch as any,
          undefined,
          undefined,
          FIELD_MANAGER,
          undefined,
          k8s.PatchStrategy.StrategicMergePatch,
        ),
      );
    },
    async rolloutStatus(namespace, name) {
      const d = await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
      if (!d) return { done: false, failed: true, message: `Deployment ${namespace}/${name} not found` };
      return deploymentRolloutStatus(d);
    },
    async waitForRollout(namespace, name, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
      const interval = opts.intervalMs ?? 2_000;
      for (;;) {
        const s = await api.rolloutStatus(namespace, name);
        if (s.done || s.failed) return s;
        if (Date.now() >= deadline || opts.signal?.aborted) {
          return { done: false, failed: true, message: `timed out waiting for the rollout: ${s.message}` };
        }
        await new Promise((r) => setTimeout(r, interval));
      }
    },
    async sealedSecretsCertificate(opts = {}) {
      const namespace = opts.namespace ?? DEFAULT_SEALED_SECRETS.namespace;
      const service = opts.service ?? DEFAULT_SEALED_SECRETS.service;
      // The controller answers `application/x-pem-file`, which the generated proxy client cannot parse, so
      // this one request goes out raw, with the kubeconfig's credentials and TLS settings.
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`http:${service}:`)}/proxy/v1/cert.pem`;
      const text = await call(`fetching the Sealed Secrets certificate from ${namespace}/${service}`, () =>
        rawGet(kc, path, report),
      );
      if (!text.includes('-----BEGIN CERTIFICATE-----')) {
        throw new KubernetesApiError(
          `the Sealed Secrets controller ${namespace}/${service} did not return a certificate`,
          undefined,
          undefined,
        );
      }
      return text;
    },
  };
  return api;
}

/** GET a non-JSON path of the API server; errors carry the status (and a Status body when there is one). */
async function rawGet(
  kc: import('@kubernetes/client-node').KubeConfig,
  path: string,
  report?: OutboundReporter,
): Promise<string> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubernetesApiError('the kubeconfig has no current cluster', undefined, undefined);
  const url = new URL(
    path.replace(/^\//, ''),
    cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`,
  );
  const opts: import('node:https').RequestOptions = {
    method: 'GET',
    headers: { Accept: 'application/x-pem-file, */*' },
  };
  await kc.applyToHTTPSOptions(opts);
  const mod = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  if (url.protocol === 'http:') delete opts.agent;
  return new Promise<string>((resolve, reject) => {
    const req = mod.request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) resolve(body);
        else {
          report?.({ ...callSite('kubernetes', 'GET', url), status: res.statusCode ?? 0 });
          reject({ code: res.statusCode, body });
        }
      });
    });
    req.on('error', (err) => {
      report?.({ ...callSite('kubernetes', 'GET', url), error: transportError(err) });
      reject(err);
    });
    req.end();
  });
}

/** The decision `kubectl rollout status` makes, as a pure function of the Deployment. */
export function deploymentRolloutStatus(d: KubeObject): RolloutStatus {
  const spec = (d.spec ?? {}) as { replicas?: number };
  const status = (d.status ?? {}) as {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
  const name = `${d.metadata.namespace}/${d.metadata.name}`;
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return {
      done: false,
      failed: false,
      message: `waiting for the Deployment ${name} spec update to be observed`,
    };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: true, message: `Deployment ${name} exceeded its progress deadline` };
  }
  const want = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < want)
    return { done: false, failed: false, message: `${updated} of ${want} new replicas updated` };
  if ((status.replicas ?? 0) > updated) {
    return {
      done: false,
      failed: false,
      message: `${(status.replicas ?? 0) - updated} old replicas pending termination`,
    };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return {
      done: false,
      failed: false,
      message: `${status.availableReplicas ?? 0} of ${updated} updated replicas available`,
    };
  }
  return { done: true, failed: false, message: `Deployment ${name} successfully rolled out` };
}

/** ApiException (status + Status body) or a transport error → KubernetesApiError, without request data. */
export function toKubernetesError(what: string, err: unknown): KubernetesApiError {
  if (err instanceof KubernetesApiError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string };
  if (typeof e?.code === 'number') {
    let body: { message?: string; reason?: string } | undefined;
    if (typeof e.body === 'string') {
      try {
        body = JSON.parse(e.body) as { message?: string; reason?: string };
      } catch {
        body = { message: e.body.slice(0, 200) };
      }
    } else body = e.body as { message?: string; reason?: string } | undefined;
    const reason = body?.reason;
    const message = body?.message;
    return new KubernetesApiError(
      `${what}: the Kubernetes API answered ${e.code}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`,
      e.code,
      reason,
    );
  }
  return new KubernetesApiError(`${what}: ${e?.message ?? String(err)}`, undefined, undefined);
}

export { type KubeconfigDeps, kubeconfigFor } from './kubeconfig.js';
