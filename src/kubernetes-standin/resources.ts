/**
 * The kinds the Kubernetes API stand-in serves (what envc's rotation and JIT access use), their API groups,
 * kubernetes-models classes and client-node type names, and the API's Status objects.
 */
export type Json = Record<string, unknown>;

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

export interface ResourceType {
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
export const RESOURCES: ResourceType[] = [
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

export const gv = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);
export const gr = (r: ResourceType) => (r.group ? `${r.plural}.${r.group}` : r.plural);

export const keyOf = (r: ResourceType, ns: string | undefined, name: string) =>
  `${gv(r)}|${r.kind}|${ns ?? ''}|${name}`;
export const typeOf = (apiVersion: string, kind: string) =>
  RESOURCES.find((r) => gv(r) === apiVersion && r.kind === kind);

/** A `Status` object as the API server answers errors. */
export function status(code: number, reason: string, message: string, details?: Json): Json {
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
export const notFound = (r: ResourceType, name: string) =>
  status(404, 'NotFound', `${gr(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });

export function conflict(r: ResourceType, name: string): Json {
  return status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${gr(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: r.group, kind: r.plural },
  );
}

export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

/** A method the resource does not take (POST to a named object, DELETE/PUT/PATCH of a collection). */
export const methodNotAllowed = (): Reply => ({
  status: 405,
  body: status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
});

/** Fields the type does not have, refused as the API server's strict field validation refuses them. */
export const unknownFieldsReply = (unknown: readonly string[]): Reply => ({
  status: 400,
  body: status(
    400,
    'BadRequest',
    `strict decoding error: unknown field "${unknown.join('", "').replace(/^\./, '')}"`,
  ),
});
