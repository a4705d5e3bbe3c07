/**
 * A local Kubernetes API server that follows the API's contract for what envc uses, so rotation and JIT access
 * are tested against the real @kubernetes/client-node over HTTP:
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
 *   RBAC (the Roles, ClusterRoles and bindings stored here) decides for (kubernetes-api-auth.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import {
  forbidden,
  type RequestAttributes,
  rbacAllows,
  requestVerb,
  type ServiceAccountIdentity,
  TokenAuthority,
  tokenRequestSpec,
} from './kubernetes-api-auth.js';
import {
  controllerLabel,
  type SealingKeyPair,
  testSealingKeyPair,
  unseal,
} from './kubernetes-api-sealing.js';

type Json = Record<string, unknown>;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
    ownerReferences?: Json[];
    managedFields?: Json[];
  };
  [k: string]: unknown;
}

interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** module path of the kubernetes-models class, and the client-node type name for the unknown-field check */
  model: string;
  clientType?: string;
  verbs: string[];
}

const V = ['create', 'delete', 'get', 'list', 'patch', 'update'];
const RESOURCES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    model: 'kubernetes-models/v1/Namespace',
    clientType: 'V1Namespace',
    verbs: V,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    model: 'kubernetes-models/v1/Secret',
    clientType: 'V1Secret',
    verbs: V,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    model: 'kubernetes-models/v1/ConfigMap',
    clientType: 'V1ConfigMap',
    verbs: V,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    model: 'kubernetes-models/v1/Service',
    clientType: 'V1Service',
    verbs: V,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    model: 'kubernetes-models/v1/ServiceAccount',
    clientType: 'V1ServiceAccount',
    verbs: V,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    model: 'kubernetes-models/apps/v1/Deployment',
    clientType: 'V1Deployment',
    verbs: V,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
    model: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role',
    clientType: 'V1Role',
    verbs: V,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
    model: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
    clientType: 'V1RoleBinding',
    verbs: V,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
    model: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
    clientType: 'V1ClusterRole',
    verbs: V,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
    model: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    clientType: 'V1ClusterRoleBinding',
    verbs: V,
  },
  {
    group: 'bitnami.com',
    version: 'v1alpha1',
    kind: 'SealedSecret',
    plural: 'sealedsecrets',
    namespaced: true,
    model: '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret',
    verbs: V,
  },
];

const gv = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);
const gr = (r: ResourceType) => (r.group ? `${r.plural}.${r.group}` : r.plural);

export interface RecordedK8sRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body: string;
  status: number;
}

export interface K8sFailure {
  method?: string;
  /** Substring of the path. */
  path: string;
  status: number;
  reason: string;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

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
  const token = opts.token ?? `k8s-test-token-${randomUUID()}`;
  const sealing = opts.sealing === false ? undefined : (opts.sealing ?? testSealingKeyPair());
  const ssNamespace = opts.sealedSecretsNamespace ?? 'sealed-secrets';
  const ssService = opts.sealedSecretsService ?? 'sealed-secrets-controller';
  const objects = new Map<string, K8sObject>();
  /** object key → manager → owned leaf paths */
  const owners = new Map<
    string,
    Map<string, { operation: 'Apply' | 'Update'; paths: Set<string>; time: string }>
  >();
  const health = new Map<string, 'healthy' | 'crashloop'>();
  const pendingObservation = new Set<string>();
  const failures: Array<K8sFailure & { left: number }> = [];
  const requests: RecordedK8sRequest[] = [];
  let rv = 1000;
  const models = new Map<string, (o: unknown) => void>();
  const k8s = await import('@kubernetes/client-node');
  const tokens = new TokenAuthority(opts.now ?? Date.now);

  const keyOf = (r: ResourceType, ns: string | undefined, name: string) =>
    `${gv(r)}|${r.kind}|${ns ?? ''}|${name}`;
  const typeOf = (apiVersion: string, kind: string) =>
    RESOURCES.find((r) => gv(r) === apiVersion && r.kind === kind);

  async function validateModel(r: ResourceType, obj: unknown): Promise<string | undefined> {
    let validate = models.get(r.kind);
    if (!validate) {
      const mod = (await import(r.model)) as Record<string, new (d: unknown) => { validate(): void }>;
      const Cls = mod[r.kind] as new (d: unknown) => { validate(): void };
      validate = (o: unknown) => new Cls(o).validate();
      models.set(r.kind, validate);
    }
    try {
      validate(obj);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** Unknown fields of built-in kinds, from the official client's attribute type maps. */
  function unknownFields(typeName: string, value: unknown, path: string): string[] {
    if (value === null || value === undefined) return [];
    const arr = /^Array<(.+)>$/.exec(typeName);
    if (arr)
      return Array.isArray(value)
        ? value.flatMap((v, i) => unknownFields(arr[1] as string, v, `${path}[${i}]`))
        : [];
    const cls = (
      k8s as unknown as Record<
        string,
        { getAttributeTypeMap?: () => Array<{ baseName: string; type: string }> }
      >
    )[typeName];
    if (!cls?.getAttributeTypeMap || typeof value !== 'object' || Array.isArray(value)) return [];
    const attrs = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
    const out: string[] = [];
    for (const [k, v] of Object.entries(value as Json)) {
      if (v === undefined) continue; // not on the wire
      const t = attrs.get(k);
      if (t === undefined) out.push(`${path}.${k}`);
      else out.push(...unknownFields(t, v, `${path}.${k}`));
    }
    return out;
  }

  function status(code: number, reason: string, message: string, details?: Json): Json {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
  const notFound = (r: ResourceType, name: string) =>
    status(404, 'NotFound', `${gr(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });

  function finalizeMeta(r: ResourceType, obj: K8sObject, prev: K8sObject | undefined): void {
    obj.apiVersion = gv(r);
    obj.kind = r.kind;
    obj.metadata.uid = prev?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = prev?.metadata.creationTimestamp ?? new Date().toISOString();
    obj.metadata.resourceVersion = String(++rv);
    if (r.kind === 'Deployment' || r.kind === 'SealedSecret') {
      const specChanged = !prev || JSON.stringify(prev.spec) !== JSON.stringify(obj.spec);
      obj.metadata.generation = (prev?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
      if (prev && !specChanged) obj.status = prev.status;
    }
  }

  function managedFieldsOf(key: string): Json[] {
    const m = owners.get(key);
    if (!m) return [];
    return [...m.entries()]
      .filter(([, v]) => v.paths.size > 0)
      .map(([manager, v]) => ({
        manager,
        operation: v.operation,
        apiVersion: key.split('|')[0],
        time: v.time,
        fieldsType: 'FieldsV1',
        fieldsV1: fieldsV1(v.paths),
      }));
  }

  function store(r: ResourceType, obj: K8sObject): K8sObject {
    const key = keyOf(r, obj.metadata.namespace, obj.metadata.name);
    obj.metadata.managedFields = managedFieldsOf(key);
    objects.set(key, obj);
    if (r.kind === 'Deployment') {
      if (!obj.status) observeDeployment(key);
      else if ((obj.status as Json).observedGeneration !== obj.metadata.generation)
        pendingObservation.add(key);
    }
    if (r.kind === 'SealedSecret') runSealedSecretsController(obj);
    return obj;
  }

  function observeDeployment(key: string): void {
    const d = objects.get(key);
    if (!d) return;
    pendingObservation.delete(key);
    const replicas = ((d.spec as Json)?.replicas as number | undefined) ?? 1;
    const h = health.get(`${d.metadata.namespace}/${d.metadata.name}`) ?? 'healthy';
    const generation = d.metadata.generation ?? 1;
    const firstRollout = generation <= 1;
    d.status =
      h === 'healthy' || firstRollout
        ? {
            observedGeneration: generation,
            replicas,
            updatedReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            conditions: [
              { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
              { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
            ],
          }
        : {
            // The new ReplicaSet's pod crashes; the old pods keep serving (maxUnavailable 0 in envc's output).
            observedGeneration: generation,
            replicas: replicas + 1,
            updatedReplicas: 1,
            readyReplicas: replicas,
            availableReplicas: replicas,
            unavailableReplicas: 1,
            conditions: [
              { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
              {
                type: 'Progressing',
                status: 'False',
                reason: 'ProgressDeadlineExceeded',
                message: `ReplicaSet "${d.metadata.name}" has timed out progressing.`,
              },
            ],
          };
    d.metadata.resourceVersion = String(++rv);
  }

  function runSealedSecretsController(ss: K8sObject): void {
    if (!sealing) return;
    const ns = ss.metadata.namespace as string;
    const name = ss.metadata.name;
    const label = controllerLabel(ss.metadata.annotations, ns, name);
    const enc = ((ss.spec as Json)?.encryptedData ?? {}) as Record<string, string>;
    const data: Record<string, string> = {};
    let error: string | undefined;
    for (const [k, v] of Object.entries(enc)) {
      try {
        data[k] = Buffer.from(unseal(sealing.privateKeyPem, label, v), 'utf8').toString('base64');
      } catch {
        error = 'no key could decrypt secret (' + k + ')';
        break;
      }
    }
    ss.status = {
      observedGeneration: ss.metadata.generation,
      conditions: [
        error
          ? { type: 'Synced', status: 'False', reason: 'ErrUnsealFailed', message: error }
          : { type: 'Synced', status: 'True' },
      ],
    };
    if (error) return; // the controller leaves the existing Secret alone
    const secretType = RESOURCES.find((r) => r.kind === 'Secret') as ResourceType;
    const key = keyOf(secretType, ns, name);
    const prev = objects.get(key);
    const template = ((ss.spec as Json)?.template ?? {}) as { metadata?: Json; type?: string };
    const secret: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: ns,
        labels: { ...((template.metadata?.labels as Record<string, string>) ?? {}) },
        ownerReferences: [
          {
            apiVersion: 'bitnami.com/v1alpha1',
            kind: 'SealedSecret',
            name,
            uid: ss.metadata.uid,
            controller: true,
          },
        ],
      },
      type: template.type ?? 'Opaque',
      data,
    };
    finalizeMeta(secretType, secret, prev);
    objects.set(key, secret);
  }

  function discovery(group: string, version: string): Json | undefined {
    const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
    if (rs.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: rs.map((r) => ({
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
      })),
    };
  }

  function listItems(r: ResourceType, ns: string | undefined): K8sObject[] {
    return [...objects.values()]
      .filter(
        (o) =>
          o.apiVersion === gv(r) && o.kind === r.kind && (ns === undefined || o.metadata.namespace === ns),
      )
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
        ),
      );
  }

  async function handle(
    req: IncomingMessage,
    body: string,
  ): Promise<{ status: number; body: unknown; contentType?: string }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    // undefined: the admin (system:masters); else the ServiceAccount RBAC decides for.
    let sa: ServiceAccountIdentity | undefined;
    if (bearer !== token) {
      sa = tokens.identify(bearer);
      if (!sa) return { status: 401, body: status(401, 'Unauthorized', 'Unauthorized') };
    }
    for (const f of failures) {
      if (f.left > 0 && (!f.method || f.method === req.method) && url.pathname.includes(f.path)) {
        f.left--;
        return {
          status: f.status,
          body: status(f.status, f.reason, f.message ?? `injected failure (${f.reason})`),
        };
      }
    }
    const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segs[0] === 'api' && segs.length === 1)
      return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api') {
      group = '';
      version = segs[1] ?? '';
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 3) {
      group = segs[1] as string;
      version = segs[2] as string;
      rest = segs.slice(3);
    } else {
      return {
        status: 404,
        body: status(404, 'NotFound', 'the server could not find the requested resource'),
      };
    }
    if (rest.length === 0) {
      const d = discovery(group, version);
      return d
        ? { status: 200, body: d }
        : { status: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    }
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, sub, ...subPath] = rest;
    const r = RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
    if (!r)
      return {
        status: 404,
        body: status(404, 'NotFound', 'the server could not find the requested resource'),
      };
    if (
      r.namespaced !== (ns !== undefined) &&
      !(r.namespaced && name === undefined && req.method === 'GET')
    ) {
      return {
        status: 404,
        body: status(404, 'NotFound', 'the server could not find the requested resource'),
      };
    }
    const attrs: RequestAttributes = {
      verb: requestVerb(req.method ?? 'GET', name !== undefined, query),
      group,
      resource: sub ? `${plural}/${sub}` : (plural as string),
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(name !== undefined ? { name } : {}),
    };
    if (sa && !rbacAllows(objects.values(), sa, attrs)) return { status: 403, body: forbidden(sa, attrs) };

    // TokenRequest: a short-lived token for a ServiceAccount (authentication.k8s.io/v1).
    if (r.kind === 'ServiceAccount' && sub === 'token' && name !== undefined) {
      if (req.method !== 'POST')
        return {
          status: 405,
          body: status(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        };
      const account = objects.get(keyOf(r, ns, name));
      if (!account) return { status: 404, body: notFound(r, name) };
      let parsedBody: unknown;
      try {
        parsedBody = JSON.parse(body || '{}');
      } catch (err) {
        return { status: 400, body: status(400, 'BadRequest', (err as Error).message) };
      }
      const spec = tokenRequestSpec(parsedBody);
      if (!spec.ok)
        return {
          status: 422,
          body: status(
            422,
            'Invalid',
            `TokenRequest.authentication.k8s.io "${name}" is invalid: ${spec.message}`,
          ),
        };
      const t = tokens.issue({ namespace: ns as string, name }, spec.spec);
      return {
        status: 201,
        body: {
          kind: 'TokenRequest',
          apiVersion: 'authentication.k8s.io/v1',
          metadata: { name, namespace: ns, creationTimestamp: null },
          spec: { audiences: t.audiences, expirationSeconds: t.expirationSeconds, boundObjectRef: null },
          status: { token: t.token, expirationTimestamp: t.expiresAt.toISOString() },
        },
      };
    }

    // Service proxy to the Sealed Secrets controller.
    if (r.kind === 'Service' && sub === 'proxy') {
      const svcName = (name ?? '').split(':').find((p) => p !== '' && p !== 'http' && p !== 'https') ?? '';
      const svc = objects.get(keyOf(r, ns, svcName));
      if (!svc) return { status: 404, body: notFound(r, svcName) };
      if (
        sealing &&
        ns === ssNamespace &&
        svcName === ssService &&
        subPath.join('/') === 'v1/cert.pem' &&
        req.method === 'GET'
      ) {
        return { status: 200, body: sealing.certificatePem, contentType: 'application/x-pem-file' };
      }
      return {
        status: 503,
        body: status(503, 'ServiceUnavailable', `no endpoints available for service "${svcName}"`),
      };
    }
    if (sub !== undefined)
      return {
        status: 404,
        body: status(404, 'NotFound', 'the server could not find the requested resource'),
      };

    const key = name ? keyOf(r, ns, name) : '';
    if (req.method === 'GET' && name) {
      const o = objects.get(key);
      if (!o) return { status: 404, body: notFound(r, name) };
      // The Deployment controller catches up between two reads, never within the write that changed the spec.
      if (pendingObservation.has(key)) return respondThenObserve(key);
      return { status: 200, body: o };
    }
    if (req.method === 'GET') return list(r, ns, query);

    // Writes: the namespace must exist (NamespaceLifecycle admission).
    if (ns !== undefined && !objects.has(`v1|Namespace||${ns}`)) {
      return {
        status: 404,
        body: status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }),
      };
    }
    const manager =
      query.fieldManager ?? (String(req.headers['user-agent'] ?? 'unknown').split('/')[0] as string);
    if (req.method === 'DELETE') {
      if (!name)
        return {
          status: 405,
          body: status(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        };
      const o = objects.get(key);
      if (!o) return { status: 404, body: notFound(r, name) };
      objects.delete(key);
      owners.delete(key);
      if (r.kind === 'SealedSecret') {
        const secretKey = `v1|Secret|${ns}|${name}`;
        if (objects.get(secretKey)?.metadata.ownerReferences?.some((ref) => ref.uid === o.metadata.uid))
          objects.delete(secretKey);
      }
      return {
        status: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: r.group, kind: r.plural, uid: o.metadata.uid },
        },
      };
    }

    let parsed: unknown;
    try {
      parsed = (req.headers['content-type'] ?? '').includes('yaml') ? parseYaml(body) : JSON.parse(body);
    } catch (err) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          `the body of the request was in an unknown format: ${(err as Error).message}`,
        ),
      };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { status: 400, body: status(400, 'BadRequest', 'the body of the request must be an object') };
    }
    const incoming = parsed as K8sObject;

    if (req.method === 'POST') {
      if (name)
        return {
          status: 405,
          body: status(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        };
      const bad = checkTypeAndName(r, incoming, undefined, ns);
      if (bad) return bad;
      // RBAC escalation check: binding a role needs `bind` on that role.
      if (sa && (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding')) {
        const ref = (incoming.roleRef ?? {}) as { kind?: string; name?: string };
        const bind: RequestAttributes = {
          verb: 'bind',
          group: 'rbac.authorization.k8s.io',
          resource: ref.kind === 'Role' ? 'roles' : 'clusterroles',
          ...(ns !== undefined ? { namespace: ns } : {}),
          ...(ref.name ? { name: ref.name } : {}),
        };
        if (!rbacAllows(objects.values(), sa, bind)) {
          const user = `system:serviceaccount:${sa.namespace}:${sa.name}`;
          return {
            status: 403,
            body: status(
              403,
              'Forbidden',
              `${gr(r)} "${incoming.metadata.name}" is forbidden: user "${user}" is attempting to grant RBAC permissions not currently held (no bind on ${bind.resource} "${ref.name}")`,
            ),
          };
        }
      }
      const k = keyOf(r, ns, incoming.metadata.name);
      if (objects.has(k)) {
        return {
          status: 409,
          body: status(409, 'AlreadyExists', `${gr(r)} "${incoming.metadata.name}" already exists`, {
            name: incoming.metadata.name,
            group: r.group,
            kind: r.plural,
          }),
        };
      }
      const obj = structuredClone(incoming);
      delete obj.status;
      const invalid = await checkObject(r, obj, false);
      if (invalid) return invalid;
      finalizeMeta(r, obj, undefined);
      own(k, manager, 'Update', leafPaths(stripMeta(obj)));
      return { status: 201, body: store(r, obj) };
    }
    if (!name)
      return {
        status: 405,
        body: status(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      };
    const current = objects.get(key);

    if (req.method === 'PUT') {
      const bad = checkTypeAndName(r, incoming, name, ns);
      if (bad) return bad;
      if (!current) return { status: 404, body: notFound(r, name) };
      if (!incoming.metadata.resourceVersion) {
        return {
          status: 422,
          body: status(
            422,
            'Invalid',
            `${r.kind} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
          ),
        };
      }
      if (incoming.metadata.resourceVersion !== current.metadata.resourceVersion)
        return { status: 409, body: conflict(r, name) };
      const obj = structuredClone(incoming);
      if (current.status === undefined) delete obj.status;
      else obj.status = current.status;
      const invalid = await checkObject(r, obj, false);
      if (invalid) return invalid;
      finalizeMeta(r, obj, current);
      takeChanged(key, manager, current, obj);
      return { status: 200, body: store(r, obj) };
    }

    if (req.method === 'PATCH') {
      const ct = String(req.headers['content-type'] ?? '');
      if (ct.startsWith('application/apply-patch+yaml')) {
        if (!query.fieldManager) {
          return {
            status: 400,
            body: status(
              400,
              'BadRequest',
              'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            ),
          };
        }
        const bad = checkTypeAndName(r, incoming, name, ns);
        if (bad) return bad;
        const unknown = r.clientType ? unknownFields(r.clientType, incoming, '') : [];
        if (unknown.length > 0) {
          return {
            status: 400,
            body: status(
              400,
              'BadRequest',
              `failed to create typed patch object: ${unknown.join(', ')}: field not declared in schema`,
            ),
          };
        }
        if (
          current &&
          incoming.metadata.resourceVersion &&
          incoming.metadata.resourceVersion !== current.metadata.resourceVersion
        ) {
          return { status: 409, body: conflict(r, name) };
        }
        const applied = stripMeta(structuredClone(incoming));
        delete applied.status;
        const appliedPaths = leafPaths(applied);
        const force = query.force === 'true';
        const conflicts: string[] = [];
        const mine = owners.get(key)?.get(query.fieldManager);
        for (const [other, own] of owners.get(key) ?? new Map()) {
          if (other === query.fieldManager) continue;
          for (const p of appliedPaths) {
            if (
              own.paths.has(p) &&
              current &&
              JSON.stringify(getPath(current, p)) !== JSON.stringify(getPath(applied, p))
            ) {
              conflicts.push(`conflict with "${other}": ${p}`);
            }
          }
        }
        if (conflicts.length > 0 && !force) {
          return {
            status: 409,
            body: status(
              409,
              'Conflict',
              `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join('; ')}`,
            ),
          };
        }
        let next: K8sObject = current
          ? structuredClone(current)
          : ({
              apiVersion: gv(r),
              kind: r.kind,
              metadata: { name, ...(ns ? { namespace: ns } : {}) },
            } as K8sObject);
        // Fields this manager applied before and no longer applies are removed (unless someone else owns them).
        for (const p of mine?.paths ?? []) {
          const ownedElsewhere = [...(owners.get(key) ?? new Map()).entries()].some(
            ([m, o]) => m !== query.fieldManager && o.paths.has(p),
          );
          if (!appliedPaths.has(p) && !ownedElsewhere) deletePath(next, p);
        }
        next = deepMerge(next, applied, false) as K8sObject;
        next.metadata.name = name;
        if (ns) next.metadata.namespace = ns;
        const invalid = await checkObject(r, next, true);
        if (invalid) return invalid;
        if (current && JSON.stringify(stripVolatile(current)) === JSON.stringify(stripVolatile(next))) {
          own(key, query.fieldManager, 'Apply', appliedPaths, force);
          current.metadata.managedFields = managedFieldsOf(key);
          return { status: 200, body: current };
        }
        finalizeMeta(r, next, current);
        own(key, query.fieldManager, 'Apply', appliedPaths, force);
        return { status: current ? 200 : 201, body: store(r, next) };
      }
      if (
        ct.startsWith('application/merge-patch+json') ||
        ct.startsWith('application/strategic-merge-patch+json')
      ) {
        if (!current) return { status: 404, body: notFound(r, name) };
        if (
          incoming.metadata?.resourceVersion &&
          incoming.metadata.resourceVersion !== current.metadata.resourceVersion
        ) {
          return { status: 409, body: conflict(r, name) };
        }
        const unknown = r.clientType ? unknownFields(r.clientType, incoming, '') : [];
        if (unknown.length > 0)
          return {
            status: 400,
            body: status(
              400,
              'BadRequest',
              `strict decoding error: unknown field "${unknown.join('", "').replace(/^\./, '')}"`,
            ),
          };
        const next = deepMerge(
          structuredClone(current),
          stripMeta(structuredClone(incoming), true),
          ct.startsWith('application/strategic'),
        ) as K8sObject;
        const invalid = await checkObject(r, next, false);
        if (invalid) return invalid;
        finalizeMeta(r, next, current);
        takeChanged(key, manager, current, next);
        return { status: 200, body: store(r, next) };
      }
      return {
        status: 415,
        body: status(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        ),
      };
    }
    return {
      status: 405,
      body: status(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      ),
    };
  }

  function respondThenObserve(key: string): { status: number; body: unknown } {
    const o = objects.get(key) as K8sObject;
    const snapshot = structuredClone(o);
    observeDeployment(key);
    return { status: 200, body: snapshot };
  }

  function conflict(r: ResourceType, name: string): Json {
    return status(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${gr(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: r.group, kind: r.plural },
    );
  }

  function checkTypeAndName(
    r: ResourceType,
    o: K8sObject,
    urlName: string | undefined,
    ns: string | undefined,
  ) {
    if (o.apiVersion !== gv(r) || o.kind !== r.kind) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          `the API version in the data (${o.apiVersion}) does not match the expected API version (${gv(r)}) or kind ${o.kind} != ${r.kind}`,
        ),
      };
    }
    if (!o.metadata?.name)
      return {
        status: 422,
        body: status(
          422,
          'Invalid',
          `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        ),
      };
    if (urlName !== undefined && o.metadata.name !== urlName) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          `the name of the object (${o.metadata.name}) does not match the name on the URL (${urlName})`,
        ),
      };
    }
    if (ns !== undefined && o.metadata.namespace !== undefined && o.metadata.namespace !== ns) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      };
    }
    return undefined;
  }

  async function checkObject(r: ResourceType, obj: K8sObject, unknownChecked: boolean) {
    if (!unknownChecked && r.clientType) {
      const unknown = unknownFields(r.clientType, obj, '');
      if (unknown.length > 0)
        return {
          status: 400,
          body: status(
            400,
            'BadRequest',
            `strict decoding error: unknown field "${unknown.join('", "').replace(/^\./, '')}"`,
          ),
        };
    }
    // RBAC objects only need a valid path segment (`envc:view`); everything else a DNS subdomain.
    const nameOk =
      r.group === 'rbac.authorization.k8s.io'
        ? !/[/%]/.test(obj.metadata.name) && obj.metadata.name !== '.' && obj.metadata.name !== '..'
        : /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name);
    if (!nameOk || obj.metadata.name.length > 253) {
      return {
        status: 422,
        body: status(
          422,
          'Invalid',
          `${r.kind} "${obj.metadata.name}" is invalid: metadata.name: Invalid value`,
        ),
      };
    }
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
      if (
        typeof v !== 'string' ||
        v.length > 63 ||
        !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)
      ) {
        return {
          status: 422,
          body: status(
            422,
            'Invalid',
            `${r.kind} "${obj.metadata.name}" is invalid: metadata.labels: Invalid value: "${k}"`,
          ),
        };
      }
    }
    const { managedFields: _m, ...meta } = obj.metadata;
    const err = await validateModel(r, { ...obj, metadata: meta });
    if (err)
      return {
        status: 422,
        body: status(422, 'Invalid', `${r.kind} "${obj.metadata.name}" is invalid: ${err}`),
      };
    return undefined;
  }

  function own(
    key: string,
    manager: string,
    operation: 'Apply' | 'Update',
    paths: Set<string>,
    force = true,
  ): void {
    const m = owners.get(key) ?? new Map();
    owners.set(key, m);
    if (force) for (const [other, o] of m) if (other !== manager) for (const p of paths) o.paths.delete(p);
    m.set(manager, { operation, paths: new Set(paths), time: new Date().toISOString() });
  }

  function takeChanged(key: string, manager: string, before: K8sObject, after: K8sObject): void {
    const changed = new Set(
      [...leafPaths(stripMeta(structuredClone(after)))].filter(
        (p) => JSON.stringify(getPath(before, p)) !== JSON.stringify(getPath(after, p)),
      ),
    );
    const m = owners.get(key) ?? new Map();
    owners.set(key, m);
    for (const [, o] of m) for (const p of changed) o.paths.delete(p);
    const prev = m.get(manager);
    m.set(manager, {
      operation: 'Update',
      paths: new Set([...(prev?.paths ?? []), ...changed]),
      time: new Date().toISOString(),
    });
  }

  function list(r: ResourceType, ns: string | undefined, query: Record<string, string>) {
    let items = listItems(r, ns);
    if (query.labelSelector) {
      const sel = parseSelector(query.labelSelector);
      if (typeof sel === 'string')
        return { status: 400, body: status(400, 'BadRequest', `unable to parse requirement: ${sel}`) };
      items = items.filter((o) => sel.every((req) => req(o.metadata.labels ?? {})));
    }
    let start = 0;
    if (query.continue) {
      let token: { after?: string };
      try {
        token = JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8'));
      } catch {
        return {
          status: 400,
          body: status(400, 'BadRequest', 'continue key is not valid: illegal base64 data'),
        };
      }
      start = items.findIndex(
        (o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > (token.after ?? ''),
      );
      if (start < 0) start = items.length;
    }
    const limit = query.limit ? Number(query.limit) : 0;
    const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
    const more = limit > 0 && start + limit < items.length;
    const last = page[page.length - 1];
    const meta: Json = { resourceVersion: String(rv) };
    if (more && last) {
      meta.continue = Buffer.from(
        JSON.stringify({ after: `${last.metadata.namespace ?? ''}/${last.metadata.name}` }),
      ).toString('base64url');
      meta.remainingItemCount = items.length - (start + limit);
    }
    return {
      status: 200,
      // List items carry no apiVersion/kind on the wire.
      body: {
        kind: `${r.kind}List`,
        apiVersion: gv(r),
        metadata: meta,
        items: page.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
      },
    };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(req, body)
        .catch((err: Error) => ({
          status: 500,
          body: status(500, 'InternalError', `fake server bug: ${err.stack ?? err.message}`),
          contentType: undefined,
        }))
        .then((out) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          requests.push({
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
    token,
    ...(sealing ? { sealing } : {}),
    requests,
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
        `    token: ${token}`,
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
      const invalid = await checkObject(r, obj, false);
      if (invalid) throw new Error(`fake kubernetes: invalid seed: ${JSON.stringify(invalid.body)}`);
      const key = keyOf(r, obj.metadata.namespace, obj.metadata.name);
      finalizeMeta(r, obj, objects.get(key));
      return store(r, obj);
    },
    get(apiVersion, kind, namespace, name) {
      const r = typeOf(apiVersion, kind);
      if (!r) return undefined;
      const o = objects.get(keyOf(r, namespace, name));
      return o ? structuredClone(o) : undefined;
    },
    list(apiVersion, kind, namespace) {
      const r = typeOf(apiVersion, kind);
      return r ? listItems(r, namespace).map((o) => structuredClone(o)) : [];
    },
    secretValue(namespace, name, key) {
      const s = objects.get(`v1|Secret|${namespace}|${name}`);
      const v = (s?.data as Record<string, string> | undefined)?.[key];
      return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
    },
    setDeploymentHealth(namespace, name, h) {
      health.set(`${namespace}/${name}`, h);
    },
    fail(f) {
      failures.push({ ...f, left: f.times ?? 1 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  if (sealing) {
    await fake
      .seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ssNamespace } })
      .catch(() => undefined);
    await fake.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ssService, namespace: ssNamespace },
      spec: { ports: [{ name: 'http', port: 8080, targetPort: 8080 }], selector: { name: ssService } },
    });
  }
  return fake;
}

// ── field paths, merges, selectors ──────────────────────────────────────────────────────────────────────

const VOLATILE_META = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

function stripMeta<T extends Json>(o: T, keepName = false): T {
  const meta = { ...((o.metadata as Json) ?? {}) };
  for (const k of VOLATILE_META) delete meta[k];
  if (!keepName) {
    delete meta.name;
    delete meta.namespace;
  }
  return { ...o, metadata: meta };
}

function stripVolatile(o: K8sObject): Json {
  const { status: _s, ...rest } = o;
  return stripMeta(rest as Json, true);
}

/** Leaf paths (`.spec.roleRef.name`); arrays are atomic leaves; apiVersion/kind excluded. */
function leafPaths(o: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    const entries = Object.entries(o as Json);
    if (entries.length === 0 && prefix) out.add(prefix);
    for (const [k, v] of entries) {
      if (prefix === '' && (k === 'apiVersion' || k === 'kind')) continue;
      for (const p of leafPaths(v, `${prefix}.${k}`)) out.add(p);
    }
  } else if (prefix) out.add(prefix);
  return out;
}

function splitPath(p: string): string[] {
  return p.split('.').slice(1);
}

function getPath(o: unknown, p: string): unknown {
  let cur = o;
  for (const k of splitPath(p)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[k];
  }
  return cur;
}

function deletePath(o: unknown, p: string): void {
  const parts = splitPath(p);
  let cur = o as Json;
  for (const k of parts.slice(0, -1)) {
    if (!cur || typeof cur[k] !== 'object') return;
    cur = cur[k] as Json;
  }
  delete cur[parts[parts.length - 1] as string];
}

function fieldsV1(paths: Set<string>): Json {
  const root: Json = {};
  for (const p of paths) {
    let cur = root;
    for (const k of splitPath(p)) {
      const f = `f:${k}`;
      cur[f] = (cur[f] as Json | undefined) ?? {};
      cur = cur[f] as Json;
    }
  }
  return root;
}

/** JSON merge patch (null deletes); strategic: lists of objects with `name` merge by name. */
function deepMerge(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    if (strategic && Array.isArray(target) && patch.every((x) => x && typeof x === 'object' && 'name' in x)) {
      const out = [...target];
      for (const item of patch) {
        const i = out.findIndex(
          (x) => x && typeof x === 'object' && (x as Json).name === (item as Json).name,
        );
        if (i >= 0) out[i] = deepMerge(out[i], item, strategic);
        else out.push(item);
      }
      return out;
    }
    return patch;
  }
  if (typeof patch !== 'object') return patch;
  const out: Json =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    const merged = deepMerge(out[k], v, strategic);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

type Requirement = (labels: Record<string, string>) => boolean;

/** Kubernetes label selector syntax; returns an error string when it can not be parsed. */
export function parseSelector(sel: string): Requirement[] | string {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
  const out: Requirement[] = [];
  for (const p of parts) {
    const eq = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(p);
    const set = new RegExp(`^${key}\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(p);
    const absent = new RegExp(`^!${key}$`).exec(p);
    const exists = new RegExp(`^${key}$`).exec(p);
    if (eq) {
      const [, k, op, v] = eq as unknown as [string, string, string, string];
      out.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if (set) {
      const [, k, op, list] = set as unknown as [string, string, string, string];
      const vals = list.split(',').map((s) => s.trim());
      out.push(
        op === 'in'
          ? (l) => l[k] !== undefined && vals.includes(l[k] as string)
          : (l) => l[k] === undefined || !vals.includes(l[k] as string),
      );
    } else if (absent) {
      const k = absent[1] as string;
      out.push((l) => l[k] === undefined);
    } else if (exists) {
      const k = exists[1] as string;
      out.push((l) => l[k] !== undefined);
    } else return p;
  }
  return out;
}
