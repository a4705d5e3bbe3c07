/**
 * Authentication and authorization of the local Kubernetes API, after the API's documented behaviour:
 *
 * - TokenRequest (`POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`, authentication.k8s.io/v1):
 *   201 with `status.token` and `status.expirationTimestamp`; `spec.expirationSeconds` defaults to 3600 and
 *   may not be under 600 (422); `spec.audiences` defaults to the API server's own audiences; 404 for an
 *   unknown ServiceAccount. A token is refused (401) once expired, and when none of its audiences is the
 *   API server's.
 * - RBAC for ServiceAccount tokens (the admin token is `system:masters`): the request's attributes (verb,
 *   API group, resource/subresource, namespace, name) against the rules of every Role/ClusterRole bound to
 *   the ServiceAccount (or its groups); a RoleBinding's rules apply in its namespace only; `resourceNames`
 *   never match a request without a name (list, create). 403 Forbidden with the API server's message.
 * - Creating a (Cluster)RoleBinding needs `bind` on the role it references (the API server also accepts a
 *   user who already holds every permission of that role; envc's bot never relies on that, so it is not
 *   modelled).
 */
import { randomBytes } from 'node:crypto';

type Json = Record<string, unknown>;

export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
}

export interface ServiceAccountIdentity {
  namespace: string;
  name: string;
}

interface IssuedToken extends ServiceAccountIdentity {
  audiences: string[];
  expiresAt: number;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  /** `resource` or `resource/subresource`. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** The API server's own audience (kube-apiserver --api-audiences defaults to the service account issuer). */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
export const MIN_EXPIRATION_SECONDS = 600;

export class TokenAuthority {
  private readonly tokens = new Map<string, IssuedToken>();
  constructor(private readonly now: () => number) {}

  issue(sa: ServiceAccountIdentity, spec: { audiences?: string[]; expirationSeconds?: number }) {
    const expirationSeconds = spec.expirationSeconds ?? 3600;
    const audiences = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
    // Real tokens are JWTs; only their opacity matters to a client.
    const token = `sa-token.${randomBytes(24).toString('base64url')}`;
    const expiresAt = Math.floor(this.now() / 1000) * 1000 + expirationSeconds * 1000;
    this.tokens.set(token, { ...sa, audiences, expiresAt });
    return { token, audiences, expirationSeconds, expiresAt: new Date(expiresAt) };
  }

  /** The ServiceAccount behind a bearer token; undefined when unknown, expired or not for this API server. */
  identify(bearer: string): ServiceAccountIdentity | undefined {
    const t = this.tokens.get(bearer);
    if (!t || this.now() >= t.expiresAt || !t.audiences.includes(API_AUDIENCE)) return undefined;
    return { namespace: t.namespace, name: t.name };
  }
}

/** The TokenRequest body check (422 reasons), or the parsed spec. */
export function tokenRequestSpec(
  body: unknown,
): { ok: true; spec: { audiences?: string[]; expirationSeconds?: number } } | { ok: false; message: string } {
  const b = (body ?? {}) as { apiVersion?: string; kind?: string; spec?: Json };
  if (b.kind !== undefined && b.kind !== 'TokenRequest')
    return { ok: false, message: `kind: Invalid value: "${b.kind}": must be TokenRequest` };
  const spec = (b.spec ?? {}) as { audiences?: unknown; expirationSeconds?: unknown };
  if (spec.expirationSeconds !== undefined) {
    const e = spec.expirationSeconds;
    if (typeof e !== 'number' || !Number.isInteger(e))
      return { ok: false, message: 'spec.expirationSeconds: Invalid value: must be an integer' };
    if (e < MIN_EXPIRATION_SECONDS)
      return {
        ok: false,
        message: `spec.expirationSeconds: Invalid value: ${e}: may not specify a duration less than 10 minutes`,
      };
  }
  if (
    spec.audiences !== undefined &&
    (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string'))
  )
    return { ok: false, message: 'spec.audiences: Invalid value: must be a list of strings' };
  return {
    ok: true,
    spec: {
      ...(spec.audiences ? { audiences: spec.audiences as string[] } : {}),
      ...(spec.expirationSeconds !== undefined
        ? { expirationSeconds: spec.expirationSeconds as number }
        : {}),
    },
  };
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function subjectMatches(s: Subject, sa: ServiceAccountIdentity, bindingNamespace?: string): boolean {
  if (s.kind === 'ServiceAccount')
    return s.name === sa.name && (s.namespace ?? bindingNamespace) === sa.namespace;
  if (s.kind === 'Group')
    return [
      'system:serviceaccounts',
      `system:serviceaccounts:${sa.namespace}`,
      'system:authenticated',
    ].includes(s.name);
  if (s.kind === 'User') return s.name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
  return false;
}

function ruleAllows(rule: Rule, a: RequestAttributes): boolean {
  if (rule.nonResourceURLs) return false;
  const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);
  if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.group)) return false;
  const [res, sub] = a.resource.split('/');
  const resourceOk = (rule.resources ?? []).some(
    (r) => r === '*' || r === a.resource || (sub !== undefined && (r === `${res}/*` || r === `*/${sub}`)),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0)
    return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

/** Whether the ServiceAccount may do `a`, given every RBAC object the API server stores. */
export function rbacAllows(
  objects: Iterable<StoredObject>,
  sa: ServiceAccountIdentity,
  a: RequestAttributes,
): boolean {
  const all = [...objects];
  const find = (kind: string, name: string, namespace?: string) =>
    all.find(
      (o) =>
        o.apiVersion === 'rbac.authorization.k8s.io/v1' &&
        o.kind === kind &&
        o.metadata.name === name &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );
  for (const b of all) {
    if (b.apiVersion !== 'rbac.authorization.k8s.io/v1') continue;
    if (b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') continue;
    const ns = b.metadata.namespace;
    // A RoleBinding grants within its namespace only (and never for cluster-scoped requests).
    if (b.kind === 'RoleBinding' && a.namespace !== ns) continue;
    const subjects = (b.subjects ?? []) as Subject[];
    if (!subjects.some((s) => subjectMatches(s, sa, ns))) continue;
    const ref = b.roleRef as { kind: string; name: string };
    const role = ref.kind === 'Role' ? find('Role', ref.name, ns) : find('ClusterRole', ref.name);
    if (((role?.rules ?? []) as Rule[]).some((r) => ruleAllows(r, a))) return true;
  }
  return false;
}

/** The verb of a request, as the API server's RequestInfo resolver names it. */
export function requestVerb(method: string, hasName: boolean, query: Record<string, string>): string {
  switch (method) {
    case 'GET':
      return query.watch === 'true' || query.watch === '1' ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export function forbidden(sa: ServiceAccountIdentity, a: RequestAttributes): Json {
  const user = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  const what = `${a.resource.split('/')[0]}${a.group ? `.${a.group}` : ''}`;
  const scope = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${what}${a.name ? ` "${a.name}"` : ''} is forbidden: User "${user}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}"${scope}`,
    reason: 'Forbidden',
    details: { ...(a.name ? { name: a.name } : {}), group: a.group, kind: a.resource.split('/')[0] },
    code: 403,
  };
}
