/** One request to the Kubernetes API stand-in: discovery, auth, get/list/create/replace/delete; patches in patch.ts. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { authorize, bindAllowed, identify, tokenRequest } from './access-control.js';
import { respondThenObserve, store } from './controllers.js';
import { patch } from './patch.js';
import { leafPaths, parseSelector, stripMeta } from './paths.js';
import {
  conflict,
  gr,
  gv,
  type Json,
  type K8sObject,
  keyOf,
  methodNotAllowed,
  notFound,
  RESOURCES,
  type Reply,
  type ResourceType,
  status,
} from './resources.js';
import { type Cluster, finalizeMeta, listItems, own, takeChanged } from './state.js';
import { checkObject, checkTypeAndName } from './validate.js';

export function discovery(group: string, version: string): Json | undefined {
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

export async function handle(c: Cluster, req: IncomingMessage, body: string): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query = Object.fromEntries(url.searchParams.entries());
  const sa = identify(c, req);
  if (sa === false) return { status: 401, body: status(401, 'Unauthorized', 'Unauthorized') };
  for (const f of c.failures) {
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
  if (r.namespaced !== (ns !== undefined) && !(r.namespaced && name === undefined && req.method === 'GET')) {
    return {
      status: 404,
      body: status(404, 'NotFound', 'the server could not find the requested resource'),
    };
  }

  const denied = authorize(c, sa, req, {
    group,
    plural: plural as string,
    ...(sub !== undefined ? { sub } : {}),
    ...(ns !== undefined ? { ns } : {}),
    ...(name !== undefined ? { name } : {}),
    query,
  });
  if (denied) return denied;
  if (r.kind === 'ServiceAccount' && sub === 'token' && name !== undefined)
    return tokenRequest(c, req, r, ns, name, body);

  // Service proxy to the Sealed Secrets controller.
  if (r.kind === 'Service' && sub === 'proxy') {
    const svcName = (name ?? '').split(':').find((p) => p !== '' && p !== 'http' && p !== 'https') ?? '';
    const svc = c.objects.get(keyOf(r, ns, svcName));
    if (!svc) return { status: 404, body: notFound(r, svcName) };
    if (
      c.sealing &&
      ns === c.ssNamespace &&
      svcName === c.ssService &&
      subPath.join('/') === 'v1/cert.pem' &&
      req.method === 'GET'
    ) {
      return { status: 200, body: c.sealing.certificatePem, contentType: 'application/x-pem-file' };
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
    const o = c.objects.get(key);
    if (!o) return { status: 404, body: notFound(r, name) };
    // The Deployment controller catches up between two reads, never within the write that changed the spec.
    if (c.pendingObservation.has(key)) return respondThenObserve(c, key);
    return { status: 200, body: o };
  }
  if (req.method === 'GET') return list(c, r, ns, query);

  // Writes: the namespace must exist (NamespaceLifecycle admission).
  if (ns !== undefined && !c.objects.has(`v1|Namespace||${ns}`)) {
    return {
      status: 404,
      body: status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }),
    };
  }
  const manager =
    query.fieldManager ?? (String(req.headers['user-agent'] ?? 'unknown').split('/')[0] as string);
  if (req.method === 'DELETE') {
    if (!name) return methodNotAllowed();
    const o = c.objects.get(key);
    if (!o) return { status: 404, body: notFound(r, name) };
    c.objects.delete(key);
    c.owners.delete(key);
    if (r.kind === 'SealedSecret') {
      const secretKey = `v1|Secret|${ns}|${name}`;
      if (c.objects.get(secretKey)?.metadata.ownerReferences?.some((ref) => ref.uid === o.metadata.uid))
        c.objects.delete(secretKey);
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
    if (name) return methodNotAllowed();
    const bad = checkTypeAndName(r, incoming, undefined, ns) ?? bindAllowed(c, sa, r, incoming, ns);
    if (bad) return bad;
    const k = keyOf(r, ns, incoming.metadata.name);
    if (c.objects.has(k)) {
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
    const invalid = await checkObject(c, r, obj, false);
    if (invalid) return invalid;
    finalizeMeta(c, r, obj, undefined);
    own(c, k, manager, 'Update', leafPaths(stripMeta(obj)));
    return { status: 201, body: store(c, r, obj) };
  }
  if (!name) return methodNotAllowed();
  const current = c.objects.get(key);

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
    const invalid = await checkObject(c, r, obj, false);
    if (invalid) return invalid;
    finalizeMeta(c, r, obj, current);
    takeChanged(c, key, manager, current, obj);
    return { status: 200, body: store(c, r, obj) };
  }

  if (req.method === 'PATCH') return patch(c, req, { r, key, name, ns, incoming, current, manager, query });
  return methodNotAllowed();
}

export function list(c: Cluster, r: ResourceType, ns: string | undefined, query: Record<string, string>) {
  let items = listItems(c, r, ns);
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
    start = items.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > (token.after ?? ''));
    if (start < 0) start = items.length;
  }
  const limit = query.limit ? Number(query.limit) : 0;
  const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  const more = limit > 0 && start + limit < items.length;
  const last = page[page.length - 1];
  const meta: Json = { resourceVersion: String(c.rv) };
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
