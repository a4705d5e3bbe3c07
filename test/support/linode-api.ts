/**
 * A local Linode API v4 server for the endpoints envc's rotation uses, following the published contract:
 * `/v4` and `/v4beta` roots, bearer-token auth (401), the error envelope `{errors: [{reason, field?}]}`,
 * 404 for missing objects and unknown paths, 405 for a wrong method, list pagination (`page`, `page_size`
 * 25–500 → `{data, page, pages, results}`), `X-Filter` on lists, and request payloads checked with the
 * @linode/validation schemas (plus the documented bucket_access rules, which the schema does not cover).
 *
 * Object Storage keys show their `secret_key` only in the create response (listed keys say `[REDACTED]`);
 * a database credential reset replaces the password at once. Tests read the state to assert which
 * credentials still work (`keyWorks`, `passwordWorks`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPriceLists, type PriceLists, priceList } from './linode-prices.js';

type Json = Record<string, unknown>;

interface KeyRow {
  id: number;
  label: string;
  access_key: string;
  secret_key: string;
  bucket_access: Array<{ bucket_name: string; cluster: string; region: string; permissions: string }> | null;
  limited: boolean;
  regions: Array<{ id: string; s3_endpoint: string }>;
}

interface DatabaseRow {
  id: number;
  label: string;
  engine: 'postgresql' | 'mysql';
  region: string;
  status: string;
  username: string;
  password: string;
  host: string;
  port: number;
}

interface ClusterRow {
  id: number;
  label: string;
  region: string;
  k8s_version: string;
  kubeconfig: string;
}

export interface RecordedLinodeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
  response: string;
}

export interface LinodeFailure {
  method?: string;
  path: string;
  status: number;
  reason: string;
  times?: number;
}

export interface FakeLinode {
  url: string;
  token: string;
  requests: RecordedLinodeRequest[];
  addBucket(region: string, name: string): void;
  addDatabase(d: { label: string; engine?: 'postgresql' | 'mysql'; region?: string; status?: string }): {
    id: number;
    username: string;
    password: string;
  };
  addCluster(c: { label: string; region?: string; kubeconfig: string }): { id: number };
  /** Creates a key directly (as if made before envc ran); returns it with its secret. */
  addKey(
    label: string,
    bucketAccess: Array<{ bucket: string; region: string; permissions: 'read_only' | 'read_write' }>,
  ): KeyRow;
  keys(): KeyRow[];
  /** True when a key with this access/secret pair exists (S3 would accept it). */
  keyWorks(accessKey: string, secretKey: string): boolean;
  passwordWorks(label: string, username: string, password: string): boolean;
  fail(f: LinodeFailure): void;
  close(): Promise<void>;
}

export async function startFakeLinode(
  opts: { token?: string; prices?: PriceLists } = {},
): Promise<FakeLinode> {
  const prices = opts.prices ?? defaultPriceLists();
  const token = opts.token ?? `linode-test-token-${randomUUID()}`;
  const { createObjectStorageKeysSchema, updateObjectStorageKeysSchema } = await import('@linode/validation');
  const keys = new Map<number, KeyRow>();
  const buckets = new Set<string>();
  const databases = new Map<number, DatabaseRow>();
  const clusters = new Map<number, ClusterRow>();
  const requests: RecordedLinodeRequest[] = [];
  const failures: Array<LinodeFailure & { left: number }> = [];
  let nextId = 100;

  const err = (status: number, reason: string, field?: string) => ({
    status,
    body: { errors: [{ reason, ...(field ? { field } : {}) }] },
  });
  const notFound = () => err(404, 'Not found');
  const newKey = (label: string, access: KeyRow['bucket_access']): KeyRow => {
    const region = access?.[0]?.region ?? 'us-ord';
    return {
      id: nextId++,
      label,
      access_key: randomBytes(10).toString('hex').toUpperCase(),
      secret_key: randomBytes(30).toString('base64url'),
      bucket_access: access,
      limited: access !== null,
      regions: [{ id: region, s3_endpoint: `${region}-1.linodeobjects.com` }],
    };
  };
  const publicKey = (k: KeyRow) => ({ ...k, secret_key: '[REDACTED]' });
  const publicDb = (d: DatabaseRow) => ({
    id: d.id,
    label: d.label,
    engine: d.engine,
    region: d.region,
    status: d.status,
    type: 'g6-dedicated-2',
    version: '16',
    cluster_size: 1,
    hosts: {
      primary: d.host,
      endpoints: [{ address: d.host, port: d.port, role: 'primary', public_access: false }],
    },
    port: d.port,
    allow_list: [],
    created: '2026-01-01T00:00:00',
    updated: '2026-01-01T00:00:00',
  });
  const publicCluster = (c: ClusterRow) => ({
    id: c.id,
    label: c.label,
    region: c.region,
    k8s_version: c.k8s_version,
    status: 'ready',
    tags: [],
    control_plane: { high_availability: false },
    created: '2026-01-01T00:00:00',
    updated: '2026-01-01T00:00:00',
  });

  async function yupErrors(schema: { validate(v: unknown, o: object): Promise<unknown> }, body: unknown) {
    try {
      await schema.validate(body, { abortEarly: false });
      return [];
    } catch (e) {
      const inner = (
        e as { inner?: Array<{ message: string; path?: string }>; message: string; path?: string }
      ).inner;
      const list = inner && inner.length > 0 ? inner : [e as { message: string; path?: string }];
      return list.map((x) => ({ reason: x.message, ...(x.path ? { field: x.path } : {}) }));
    }
  }

  function page<T>(items: T[], query: Record<string, string>, filterHeader: string | undefined) {
    let filtered = items;
    if (filterHeader) {
      let f: Json;
      try {
        f = JSON.parse(filterHeader) as Json;
      } catch {
        return err(400, 'Cannot filter on X-Filter: invalid JSON');
      }
      filtered = items.filter((it) =>
        Object.entries(f).every(([k, v]) => (k.startsWith('+') ? true : (it as Json)[k] === v)),
      );
    }
    const size = query.page_size === undefined ? 100 : Number(query.page_size);
    if (!Number.isInteger(size) || size < 25 || size > 500)
      return err(400, 'Must be a value between 25 and 500.', 'page_size');
    const p = query.page === undefined ? 1 : Number(query.page);
    const pages = Math.max(1, Math.ceil(filtered.length / size));
    if (!Number.isInteger(p) || p < 1) return err(400, 'Must be a positive integer.', 'page');
    return {
      status: 200,
      body: { data: filtered.slice((p - 1) * size, p * size), page: p, pages, results: filtered.length },
    };
  }

  async function handle(req: IncomingMessage, body: string): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const m = /^\/v4(beta)?(\/.*)$/.exec(url.pathname);
    const path = m ? (m[2] as string).replace(/\/+$/, '') : '';
    const method = req.method ?? 'GET';
    // Price lists are public: no token needed, but a token that is sent must be valid.
    const list = priceList(prices, path);
    const auth = req.headers.authorization;
    if ((list === undefined || auth !== undefined) && auth !== `Bearer ${token}`)
      return err(401, 'Invalid Token');
    for (const f of failures) {
      if (f.left > 0 && (!f.method || f.method === req.method) && url.pathname.includes(f.path)) {
        f.left--;
        return err(f.status, f.reason);
      }
    }
    if (!m) return notFound();
    if (list !== undefined) {
      if (method !== 'GET') return err(405, 'Method Not Allowed');
      return page(list, query, req.headers['x-filter'] as string | undefined);
    }
    let json: Json = {};
    if (body && (method === 'POST' || method === 'PUT')) {
      try {
        json = JSON.parse(body) as Json;
      } catch {
        return err(400, 'Invalid JSON');
      }
    }
    const filter = req.headers['x-filter'] as string | undefined;

    if (path === '/object-storage/keys') {
      if (method === 'GET') {
        const r = page([...keys.values()].map(publicKey), query, filter);
        return r;
      }
      if (method !== 'POST') return err(405, 'Method Not Allowed');
      const errors = await yupErrors(createObjectStorageKeysSchema, json);
      const access = json.bucket_access;
      let rows: KeyRow['bucket_access'] = null;
      if (access !== undefined && access !== null) {
        if (!Array.isArray(access)) errors.push({ reason: 'Must be an array.', field: 'bucket_access' });
        else {
          rows = [];
          access.forEach((a: Json, i: number) => {
            const region =
              (a?.region as string | undefined) ??
              (typeof a?.cluster === 'string' ? (a.cluster as string).replace(/-\d+$/, '') : undefined);
            if (typeof a?.bucket_name !== 'string')
              errors.push({ reason: 'bucket_name is required.', field: `bucket_access[${i}].bucket_name` });
            if (!region) errors.push({ reason: 'region is required.', field: `bucket_access[${i}].region` });
            if (a?.region && a?.cluster && (a.cluster as string).replace(/-\d+$/, '') !== a.region) {
              errors.push({
                reason: 'cluster and region do not match.',
                field: `bucket_access[${i}].cluster`,
              });
            }
            if (a?.permissions !== 'read_only' && a?.permissions !== 'read_write') {
              errors.push({
                reason: 'Must be one of read_only, read_write.',
                field: `bucket_access[${i}].permissions`,
              });
            }
            if (typeof a?.bucket_name === 'string' && region && !buckets.has(`${region}/${a.bucket_name}`)) {
              errors.push({
                reason: `Bucket ${a.bucket_name} not found in ${region}.`,
                field: `bucket_access[${i}].bucket_name`,
              });
            }
            rows?.push({
              bucket_name: String(a?.bucket_name),
              cluster: `${region}-1`,
              region: String(region),
              permissions: String(a?.permissions),
            });
          });
        }
      }
      if (errors.length > 0) return { status: 400, body: { errors } };
      const k = newKey(String(json.label).trim(), rows);
      keys.set(k.id, k);
      return { status: 200, body: k };
    }
    const keyPath = /^\/object-storage\/keys\/(\d+)$/.exec(path);
    if (keyPath) {
      const mm = keyPath;
      const k = keys.get(Number(mm[1]));
      if (!k) return notFound();
      if (method === 'GET') return { status: 200, body: publicKey(k) };
      if (method === 'PUT') {
        const errors = await yupErrors(updateObjectStorageKeysSchema, json);
        if (errors.length > 0) return { status: 400, body: { errors } };
        if (typeof json.label === 'string') k.label = json.label;
        return { status: 200, body: publicKey(k) };
      }
      if (method === 'DELETE') {
        keys.delete(k.id);
        return { status: 200, body: {} };
      }
      return err(405, 'Method Not Allowed');
    }
    const dbList = /^\/databases\/(postgresql|mysql)\/instances$/.exec(path);
    if (dbList) {
      const mm = dbList;
      if (method !== 'GET') return err(405, 'Method Not Allowed');
      return page([...databases.values()].filter((d) => d.engine === mm[1]).map(publicDb), query, filter);
    }
    if (path === '/databases/instances') {
      if (method !== 'GET') return err(405, 'Method Not Allowed');
      return page([...databases.values()].map(publicDb), query, filter);
    }
    const dbOne = /^\/databases\/(postgresql|mysql)\/instances\/(\d+)(\/credentials(\/reset)?)?$/.exec(path);
    if (dbOne) {
      const mm = dbOne;
      const d = databases.get(Number(mm[2]));
      if (!d || d.engine !== mm[1]) return notFound();
      if (!mm[3])
        return method === 'GET' ? { status: 200, body: publicDb(d) } : err(405, 'Method Not Allowed');
      if (!mm[4])
        return method === 'GET'
          ? { status: 200, body: { username: d.username, password: d.password } }
          : err(405, 'Method Not Allowed');
      if (method !== 'POST') return err(405, 'Method Not Allowed');
      if (d.status !== 'active')
        return err(400, `Database is ${d.status}; credentials can only be reset while it is active.`);
      d.password = randomBytes(18).toString('base64url');
      return { status: 200, body: {} };
    }
    if (path === '/lke/clusters') {
      if (method !== 'GET') return err(405, 'Method Not Allowed');
      return page([...clusters.values()].map(publicCluster), query, filter);
    }
    const lke = /^\/lke\/clusters\/(\d+)(\/kubeconfig)?$/.exec(path);
    if (lke) {
      const mm = lke;
      const c = clusters.get(Number(mm[1]));
      if (!c) return notFound();
      if (method !== 'GET') return err(405, 'Method Not Allowed');
      if (!mm[2]) return { status: 200, body: publicCluster(c) };
      return { status: 200, body: { kubeconfig: Buffer.from(c.kubeconfig, 'utf8').toString('base64') } };
    }
    return notFound();
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(req, body)
        .catch((e: Error) => err(500, `fake server bug: ${e.message}`))
        .then((out) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const text = JSON.stringify(out.body);
          requests.push({
            method: req.method ?? '',
            path: url.pathname,
            query: Object.fromEntries(url.searchParams.entries()),
            headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
            body,
            status: out.status,
            response: text,
          });
          res.writeHead(out.status, { 'content-type': 'application/json' });
          res.end(text);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    requests,
    addBucket(region, name) {
      buckets.add(`${region}/${name}`);
    },
    addDatabase(d) {
      const row: DatabaseRow = {
        id: nextId++,
        label: d.label,
        engine: d.engine ?? 'postgresql',
        region: d.region ?? 'us-ord',
        status: d.status ?? 'active',
        username: 'akmadmin',
        password: randomBytes(18).toString('base64url'),
        host: `${d.label}.example-db.linodeusercontent.com`,
        port: 5432,
      };
      databases.set(row.id, row);
      return { id: row.id, username: row.username, password: row.password };
    },
    addCluster(c) {
      const row: ClusterRow = {
        id: nextId++,
        label: c.label,
        region: c.region ?? 'us-ord',
        k8s_version: '1.33',
        kubeconfig: c.kubeconfig,
      };
      clusters.set(row.id, row);
      return { id: row.id };
    },
    addKey(label, access) {
      for (const a of access) buckets.add(`${a.region}/${a.bucket}`);
      const k = newKey(
        label,
        access.map((a) => ({
          bucket_name: a.bucket,
          cluster: `${a.region}-1`,
          region: a.region,
          permissions: a.permissions,
        })),
      );
      keys.set(k.id, k);
      return { ...k };
    },
    keys: () => [...keys.values()].map((k) => ({ ...k })),
    keyWorks: (accessKey, secretKey) =>
      [...keys.values()].some((k) => k.access_key === accessKey && k.secret_key === secretKey),
    passwordWorks: (label, username, password) =>
      [...databases.values()].some(
        (d) => d.label === label && d.username === username && d.password === password,
      ),
    fail(f) {
      failures.push({ ...f, left: f.times ?? 1 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
