/**
 * A local Kubernetes API server that follows the API's contract for what envc uses, so rotation and JIT access
 * are tested (and `envc demo` grants access) against the real @kubernetes/client-node over HTTP:
 *
 * - discovery (`/api/v1`, `/apis/<group>/<version>` APIResourceLists), bearer-token auth (401 Status);
 * - get/list/create/replace/patch/delete with `resourceVersion` on every write, 409 AlreadyExists on create of an
 *   existing object, 409 Conflict on a stale `resourceVersion`, 404 NotFound Status objects, 404 for a missing
 *   namespace, list `limit`/`continue` pagination and label selectors (=, ==, !=, in, notin, exists, !exists);
 * - server-side apply (`application/apply-patch+yaml`, `fieldManager` required, managed fields per manager,
 *   409 on a conflict with another manager unless `force=true`), JSON merge and strategic merge patches;
 * - payloads validated with kubernetes-models / @kubernetes-models/sealed-secrets (422 Invalid), and unknown
 *   fields of built-in kinds rejected (400) using the official client's type maps, since kubernetes-models
 *   accept unknown fields;
 * - two controllers: the Deployment controller (generation/observedGeneration, rollout status; a Deployment can
 *   be told to crash-loop) and the Sealed Secrets controller (unseals with the test key and the label of the
 *   SealedSecret's scope, creates the Secret, reports `Synced=False` when it cannot decrypt), plus its
 *   certificate through the service proxy;
 * - the admin token (`token`, system:masters) and ServiceAccount tokens minted with the TokenRequest API, which
 *   RBAC (the Roles, ClusterRoles and bindings stored here) decides for (auth.ts, access-control.ts).
 *
 * Split by job: resources.ts (kinds, Status objects), handle.ts and patch.ts (requests), state.ts, controllers.ts,
 * validate.ts, paths.ts (field paths, merges, selectors), sealing.ts (the controller's key and decryption).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenAuthority } from './auth.js';
import { store } from './controllers.js';
import { handle } from './handle.js';
import { type K8sObject, keyOf, status, typeOf } from './resources.js';
import { type SealingKeyPair, testSealingKeyPair } from './sealing.js';
import { type Cluster, finalizeMeta, type K8sFailure, listItems, type RecordedK8sRequest } from './state.js';
import { checkObject } from './validate.js';

export { parseSelector } from './paths.js';
export type { K8sObject } from './resources.js';
export type { K8sFailure, RecordedK8sRequest } from './state.js';

export interface FakeKubernetesOptions {
  token?: string;
  /** Sealed Secrets controller key; default a generated test key. `false` disables the controller. */
  sealing?: SealingKeyPair | false;
  sealedSecretsNamespace?: string;
  sealedSecretsService?: string;
  /** The server's clock (ms) for token expiry; default Date.now. */
  now?: () => number;
}

export interface FakeKubernetes {
  url: string;
  token: string;
  sealing?: SealingKeyPair;
  requests: RecordedK8sRequest[];
  /** A kubeconfig (YAML) for @kubernetes/client-node, context `name`. */
  kubeconfig(contextName?: string): string;
  /** Direct, validated seeding (no request recorded). */
  seed(obj: K8sObject): Promise<K8sObject>;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): K8sObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): K8sObject[];
  /** The decoded value of a Secret key (what a pod would see), or undefined. */
  secretValue(namespace: string, name: string, key: string): string | undefined;
  /** New pods of this Deployment crash: its rollouts exceed their progress deadline. */
  setDeploymentHealth(namespace: string, name: string, health: 'healthy' | 'crashloop'): void;
  fail(f: K8sFailure): void;
  close(): Promise<void>;
}

export async function startFakeKubernetes(opts: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  const sealing = opts.sealing === false ? undefined : (opts.sealing ?? testSealingKeyPair());
  const c: Cluster = {
    token: opts.token ?? `k8s-test-token-${randomUUID()}`,
    ...(sealing ? { sealing } : {}),
    ssNamespace: opts.sealedSecretsNamespace ?? 'sealed-secrets',
    ssService: opts.sealedSecretsService ?? 'sealed-secrets-controller',
    objects: new Map(),
    owners: new Map(),
    health: new Map(),
    pendingObservation: new Set(),
    failures: [],
    requests: [],
    rv: 1000,
    models: new Map(),
    k8s: await import('@kubernetes/client-node'),
    tokens: new TokenAuthority(opts.now ?? Date.now),
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(c, req, body)
        .catch((err: Error) => ({
          status: 500,
          body: status(500, 'InternalError', `fake server bug: ${err.stack ?? err.message}`),
          contentType: undefined,
        }))
        .then((out) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          c.requests.push({
            method: req.method ?? '',
            path: url.pathname,
            query: Object.fromEntries(url.searchParams.entries()),
            ...(req.headers['content-type'] ? { contentType: String(req.headers['content-type']) } : {}),
            body,
            status: out.status,
          });
          const text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
          res.writeHead(out.status, { 'content-type': out.contentType ?? 'application/json' });
          res.end(text);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeKubernetes = {
    url,
    token: c.token,
    ...(c.sealing ? { sealing: c.sealing } : {}),
    requests: c.requests,
    kubeconfig(contextName = 'fake') {
      return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${contextName}`,
        '  cluster:',
        `    server: ${url}`,
        // client-node refuses plain HTTP unless TLS verification is explicitly off (the fake speaks HTTP).
        '    insecure-skip-tls-verify: true',
        'users:',
        `- name: ${contextName}-user`,
        '  user:',
        `    token: ${c.token}`,
        'contexts:',
        `- name: ${contextName}`,
        '  context:',
        `    cluster: ${contextName}`,
        `    user: ${contextName}-user`,
        `current-context: ${contextName}`,
        '',
      ].join('\n');
    },
    async seed(o) {
      const r = typeOf(o.apiVersion, o.kind);
      if (!r) throw new Error(`fake kubernetes: unknown kind ${o.apiVersion} ${o.kind}`);
      const obj = structuredClone(o) as K8sObject;
      const invalid = await checkObject(c, r, obj, false);
      if (invalid) throw new Error(`fake kubernetes: invalid seed: ${JSON.stringify(invalid.body)}`);
      const key = keyOf(r, obj.metadata.namespace, obj.metadata.name);
      finalizeMeta(c, r, obj, c.objects.get(key));
      return store(c, r, obj);
    },
    get(apiVersion, kind, namespace, name) {
      const r = typeOf(apiVersion, kind);
      if (!r) return undefined;
      const o = c.objects.get(keyOf(r, namespace, name));
      return o ? structuredClone(o) : undefined;
    },
    list(apiVersion, kind, namespace) {
      const r = typeOf(apiVersion, kind);
      return r ? listItems(c, r, namespace).map((o) => structuredClone(o)) : [];
    },
    secretValue(namespace, name, key) {
      const s = c.objects.get(`v1|Secret|${namespace}|${name}`);
      const v = (s?.data as Record<string, string> | undefined)?.[key];
      return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
    },
    setDeploymentHealth(namespace, name, h) {
      c.health.set(`${namespace}/${name}`, h);
    },
    fail(f) {
      c.failures.push({ ...f, left: f.times ?? 1 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  if (c.sealing) {
    await fake
      .seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.ssNamespace } })
      .catch(() => undefined);
    await fake.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: c.ssService, namespace: c.ssNamespace },
      spec: { ports: [{ name: 'http', port: 8080, targetPort: 8080 }], selector: { name: c.ssService } },
    });
  }
  return fake;
}
