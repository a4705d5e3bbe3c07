/**
 * The Linode API v4 as envc needs it for rotation: Object Storage keys, managed database credentials and LKE
 * kubeconfigs — behind a small interface so rotation is tested against a local, contract-faithful server.
 *
 * @linode/api-v4 has no base-URL setting and keeps its token in a module-global axios instance
 * (`baseRequest`), so the client below owns that instance's configuration: one request interceptor, replaced
 * on every `createLinodeApi`, that sets the token and rewrites `https://api.linode.com/` to `LINODE_API_URL`
 * (tests). Errors come back as values of `LinodeApiError` with the API's `{reason, field}` list — never with a
 * request body, so a secret can not leak through an error message.
 */
import { callSite, type OutboundReporter, transportError } from '../net/outbound.js';

export interface ObjectStorageKeyRef {
  id: number;
  label: string;
  accessKey: string;
}

/** A freshly created key: the only moment the API returns the secret half. */
export interface NewObjectStorageKey extends ObjectStorageKeyRef {
  secretKey: string;
  /** S3 endpoint host of the key's region, e.g. `us-ord-1.linodeobjects.com` (from the API's answer). */
  endpoint?: string;
}

export interface BucketAccess {
  bucket: string;
  /** Linode region of the bucket, e.g. `us-ord`. */
  region: string;
  permissions: 'read_only' | 'read_write';
}

export interface DatabaseRef {
  id: number;
  label: string;
  engine: 'postgresql' | 'mysql';
  host?: string;
  port?: number;
}

export interface DatabaseCredentials {
  username: string;
  password: string;
}

export interface LinodeApi {
  createObjectStorageKey(req: { label: string; bucketAccess: BucketAccess[] }): Promise<NewObjectStorageKey>;
  /** Deletes (revokes) a key; false when it did not exist any more (already revoked). */
  revokeObjectStorageKey(id: number): Promise<boolean>;
  listObjectStorageKeys(): Promise<ObjectStorageKeyRef[]>;
  findDatabase(engine: DatabaseRef['engine'], label: string): Promise<DatabaseRef | undefined>;
  /** Resets the root credentials (the old password stops working at once) and reads the new ones. */
  resetDatabaseCredentials(db: DatabaseRef): Promise<DatabaseCredentials>;
  findCluster(label: string): Promise<{ id: number; label: string } | undefined>;
  /** The cluster's kubeconfig YAML (decoded). */
  getKubeconfig(clusterId: number): Promise<string>;
}

export class LinodeApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reasons: Array<{ reason: string; field?: string }>,
  ) {
    super(message);
    this.name = 'LinodeApiError';
  }
}

export interface LinodeApiOptions {
  token: string;
  /** Replaces `https://api.linode.com` (e.g. `http://127.0.0.1:4010`); undefined → the real API. */
  apiUrl?: string;
  /** Told of every failed call (src/net/outbound.ts). */
  report?: OutboundReporter;
}

const REAL_ROOT = 'https://api.linode.com';
let interceptorId: number | undefined;
let failureInterceptorId: number | undefined;

/** Builds the client from `LINODE_TOKEN` / `LINODE_API_URL`. */
export async function linodeApiFromEnv(
  env: NodeJS.ProcessEnv,
  report?: OutboundReporter,
): Promise<LinodeApi> {
  const token = env.LINODE_TOKEN;
  if (!token)
    throw new LinodeApiError('LINODE_TOKEN is not set: rotation needs a Linode API token', undefined, []);
  return createLinodeApi({
    token,
    ...(env.LINODE_API_URL ? { apiUrl: env.LINODE_API_URL } : {}),
    ...(report ? { report } : {}),
  });
}

/**
 * Points @linode/api-v4's shared axios instance at the token and API root. One interceptor for the process: a
 * later client (another token or URL) replaces the earlier one rather than stacking, because axios would run
 * every stacked interceptor and the oldest token would win. No token: public endpoints only (price lists).
 */
export async function configureLinodeRequests(opts: {
  token?: string;
  apiUrl?: string;
  report?: OutboundReporter;
}): Promise<typeof import('@linode/api-v4')> {
  const api = await import('@linode/api-v4');
  const root = opts.apiUrl?.replace(/\/+$/, '');
  if (interceptorId !== undefined) api.baseRequest.interceptors.request.eject(interceptorId);
  interceptorId = api.baseRequest.interceptors.request.use((config) => {
    if (opts.token) config.headers.set('Authorization', `Bearer ${opts.token}`);
    if (root && typeof config.url === 'string' && config.url.startsWith(REAL_ROOT)) {
      config.url = root + config.url.slice(REAL_ROOT.length);
    }
    return config;
  });
  // Failed calls are reported from the answer's request config (method and URL only; the token is a header).
  if (failureInterceptorId !== undefined) api.baseRequest.interceptors.response.eject(failureInterceptorId);
  const report = opts.report;
  failureInterceptorId = report
    ? api.baseRequest.interceptors.response.use(undefined, (err: unknown) => {
        const e = err as {
          config?: { method?: string; url?: string; baseURL?: string };
          response?: { status?: number };
        };
        const url = e.config?.url ?? '';
        const site = callSite(
          'linode',
          e.config?.method ?? 'GET',
          /^https?:/.test(url) ? url : `${e.config?.baseURL ?? REAL_ROOT}${url}`,
        );
        // Revoking a key that is already gone is an answer revokeObjectStorageKey branches on, not a failure.
        if (!(site.method === 'DELETE' && e.response?.status === 404))
          report(
            e.response?.status
              ? { ...site, status: e.response.status }
              : { ...site, error: transportError(err) },
          );
        return Promise.reject(err);
      })
    : undefined;
  return api;
}

export async function createLinodeApi(opts: LinodeApiOptions): Promise<LinodeApi> {
  const api = await configureLinodeRequests(opts);

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toLinodeError(what, err);
    }
  };

  const allPages = async <T>(what: string, page: (p: number) => Promise<{ data: T[]; pages: number }>) => {
    const out: T[] = [];
    for (let p = 1; ; p++) {
      const res = await call(what, () => page(p));
      out.push(...res.data);
      if (p >= res.pages) return out;
    }
  };

  return {
    async createObjectStorageKey(req) {
      const key = await call(`creating object storage key "${req.label}"`, () =>
        api.createObjectStorageKeys({
          label: req.label,
          bucket_access: req.bucketAccess.map((b) => ({
            bucket_name: b.bucket,
            region: b.region,
            // The v4 type still requires the deprecated cluster id; `<region>-1` is the cluster of a region.
            cluster: `${b.region}-1`,
            permissions: b.permissions,
          })),
        }),
      );
      if (typeof key.secret_key !== 'string' || key.secret_key === '' || key.secret_key === '[REDACTED]') {
        throw new LinodeApiError(
          `object storage key "${req.label}" was created without a secret key`,
          undefined,
          [],
        );
      }
      const endpoint = key.regions?.[0]?.s3_endpoint;
      return {
        id: key.id,
        label: key.label,
        accessKey: key.access_key,
        secretKey: key.secret_key,
        ...(endpoint ? { endpoint } : {}),
      };
    },
    async revokeObjectStorageKey(id) {
      try {
        await api.revokeObjectStorageKey(id);
        return true;
      } catch (err) {
        const e = toLinodeError(`revoking object storage key ${id}`, err);
        if (e.status === 404) return false;
        throw e;
      }
    },
    async listObjectStorageKeys() {
      const keys = await allPages('listing object storage keys', (page) =>
        api.getObjectStorageKeys({ page, page_size: 500 }),
      );
      return keys.map((k) => ({ id: k.id, label: k.label, accessKey: k.access_key }));
    },
    async findDatabase(engine, label) {
      const dbs = await allPages(`looking up database "${label}"`, (page) =>
        api.getDatabases({ page, page_size: 500 }, { label, engine }),
      );
      const db = dbs.find((d) => d.label === label && d.engine === engine);
      if (!db) return undefined;
      const host = db.hosts?.primary;
      const port =
        db.hosts?.endpoints?.find((e) => e.role === 'primary')?.port ?? (db as { port?: number }).port;
      return {
        id: db.id,
        label: db.label,
        engine,
        ...(host ? { host } : {}),
        ...(typeof port === 'number' ? { port } : {}),
      };
    },
    async resetDatabaseCredentials(db) {
      await call(`resetting credentials of database "${db.label}"`, () =>
        api.resetDatabaseCredentials(db.engine, db.id),
      );
      const creds = await call(`reading credentials of database "${db.label}"`, () =>
        api.getDatabaseCredentials(db.engine, db.id),
      );
      return { username: creds.username, password: creds.password };
    },
    async findCluster(label) {
      const clusters = await allPages(`looking up LKE cluster "${label}"`, (page) =>
        api.getKubernetesClusters({ page, page_size: 500 }, { label }),
      );
      const c = clusters.find((x) => x.label === label);
      return c ? { id: c.id, label: c.label } : undefined;
    },
    async getKubeconfig(clusterId) {
      const res = await call(`reading the kubeconfig of LKE cluster ${clusterId}`, () =>
        api.getKubeConfig(clusterId),
      );
      return Buffer.from(res.kubeconfig, 'base64').toString('utf8');
    },
  };
}

/** AxiosError or client-side validation `[{reason, field}]` → LinodeApiError (no request data copied). */
export function toLinodeError(what: string, err: unknown): LinodeApiError {
  if (err instanceof LinodeApiError) return err;
  if (Array.isArray(err)) {
    const reasons = err.map((e) => ({
      reason: String(e?.reason ?? e),
      ...(e?.field ? { field: String(e.field) } : {}),
    }));
    return new LinodeApiError(
      `${what}: rejected before sending: ${formatReasons(reasons)}`,
      undefined,
      reasons,
    );
  }
  const ax = err as {
    response?: { status?: number; data?: { errors?: unknown } };
    code?: string;
    message?: string;
  };
  const status = ax?.response?.status;
  const raw = ax?.response?.data?.errors;
  const reasons = Array.isArray(raw)
    ? raw.map((e: { reason?: unknown; field?: unknown }) => ({
        reason: String(e?.reason ?? 'unknown error'),
        ...(e?.field ? { field: String(e.field) } : {}),
      }))
    : [];
  if (status !== undefined) {
    return new LinodeApiError(
      `${what}: the Linode API answered ${status}${reasons.length ? `: ${formatReasons(reasons)}` : ''}`,
      status,
      reasons,
    );
  }
  return new LinodeApiError(
    `${what}: the Linode API is unreachable (${ax?.code ?? ax?.message ?? 'unknown'})`,
    undefined,
    [],
  );
}

function formatReasons(reasons: Array<{ reason: string; field?: string }>): string {
  return reasons.map((r) => (r.field ? `${r.field}: ${r.reason}` : r.reason)).join('; ');
}
