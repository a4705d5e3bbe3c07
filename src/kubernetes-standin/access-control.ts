/**
 * The stand-in's authentication and authorization at request time (rules in auth.ts): who the bearer token
 * is (the admin, a ServiceAccount token, or nobody), RBAC for ServiceAccounts, the TokenRequest subresource,
 * and the `bind` check when a ServiceAccount creates a (Cluster)RoleBinding.
 */
import type { IncomingMessage } from 'node:http';
import {
  forbidden,
  type RequestAttributes,
  rbacAllows,
  requestVerb,
  type ServiceAccountIdentity,
  tokenRequestSpec,
} from './auth.js';
import {
  gr,
  type K8sObject,
  keyOf,
  methodNotAllowed,
  notFound,
  type Reply,
  type ResourceType,
  status,
} from './resources.js';
import type { Cluster } from './state.js';

/** undefined: the admin (system:masters); a ServiceAccount RBAC decides for; false: not authenticated. */
export function identify(c: Cluster, req: IncomingMessage): ServiceAccountIdentity | undefined | false {
  const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (bearer === c.token) return undefined;
  return c.tokens.identify(bearer) ?? false;
}

export function authorize(
  c: Cluster,
  sa: ServiceAccountIdentity | undefined,
  req: IncomingMessage,
  t: {
    group: string;
    plural: string;
    sub?: string;
    ns?: string;
    name?: string;
    query: Record<string, string>;
  },
): Reply | undefined {
  if (!sa) return undefined;
  const attrs: RequestAttributes = {
    verb: requestVerb(req.method ?? 'GET', t.name !== undefined, t.query),
    group: t.group,
    resource: t.sub ? `${t.plural}/${t.sub}` : t.plural,
    ...(t.ns !== undefined ? { namespace: t.ns } : {}),
    ...(t.name !== undefined ? { name: t.name } : {}),
  };
  return rbacAllows(c.objects.values(), sa, attrs) ? undefined : { status: 403, body: forbidden(sa, attrs) };
}

/** TokenRequest: a short-lived token for a ServiceAccount (authentication.k8s.io/v1). */
export function tokenRequest(
  c: Cluster,
  req: IncomingMessage,
  r: ResourceType,
  ns: string | undefined,
  name: string,
  body: string,
): Reply {
  if (req.method !== 'POST') return methodNotAllowed();
  const account = c.objects.get(keyOf(r, ns, name));
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
  const t = c.tokens.issue({ namespace: ns as string, name }, spec.spec);
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

/** RBAC escalation check: a ServiceAccount binding a role needs `bind` on that role. */
export function bindAllowed(
  c: Cluster,
  sa: ServiceAccountIdentity | undefined,
  r: ResourceType,
  incoming: K8sObject,
  ns: string | undefined,
): Reply | undefined {
  if (!sa || (r.kind !== 'RoleBinding' && r.kind !== 'ClusterRoleBinding')) return undefined;
  const ref = (incoming.roleRef ?? {}) as { kind?: string; name?: string };
  const bind: RequestAttributes = {
    verb: 'bind',
    group: 'rbac.authorization.k8s.io',
    resource: ref.kind === 'Role' ? 'roles' : 'clusterroles',
    ...(ns !== undefined ? { namespace: ns } : {}),
    ...(ref.name ? { name: ref.name } : {}),
  };
  if (rbacAllows(c.objects.values(), sa, bind)) return undefined;
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
