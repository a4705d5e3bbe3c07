/**
 * The Kubernetes objects of one grant, as pure data: a RoleBinding per covered namespace, or one
 * ClusterRoleBinding for a cluster-scoped policy, each named `envc-grant-<key>`, labelled with the grant and
 * policy (so the sweeper finds them) and annotated with the expiry (so anyone reading the cluster sees when
 * it ends). The ClusterRole is the access package the Kubernetes emitter generates (`accessRoleName`).
 */
import { commonLabels, LABEL } from '../compiler/emitters/kubernetes/platform.js';
import type { KubeObject } from '../integrations/kubernetes.js';

export const GRANT_LABEL = LABEL.grant;
export const POLICY_LABEL = LABEL.accessPolicy;
export const GRANT_ID_ANNOTATION = 'envc.io/grant-id';
export const EXPIRES_ANNOTATION = 'envc.io/expires-at';
export const REQUESTED_BY_ANNOTATION = 'envc.io/requested-by';
export const APPROVED_BY_ANNOTATION = 'envc.io/approved-by';
export const REASON_ANNOTATION = 'envc.io/reason';
export const BINDING_PREFIX = 'envc-grant-';

/** A grant id as a label value and name suffix: lowercase, [a-z0-9-], at most 52 characters. */
export function grantKey(id: string): string {
  const k = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (k || 'grant').slice(0, 52).replace(/-+$/, '');
}

export function bindingName(id: string): string {
  return `${BINDING_PREFIX}${grantKey(id)}`;
}

export interface GrantSpec {
  id: string;
  env: string;
  policy: string;
  scope: 'namespace' | 'cluster';
  namespaces: string[];
  clusterRole: string;
  /** The Kubernetes user name (from the Slack profile email). */
  user: string;
  requester: string;
  approvers: string[];
  reason: string;
  expiresAt: Date;
}

export function grantBindings(g: GrantSpec): KubeObject[] {
  const name = bindingName(g.id);
  const labels = { ...commonLabels(g.env), [GRANT_LABEL]: grantKey(g.id), [POLICY_LABEL]: g.policy };
  const annotations = {
    [GRANT_ID_ANNOTATION]: g.id,
    [EXPIRES_ANNOTATION]: g.expiresAt.toISOString(),
    [REQUESTED_BY_ANNOTATION]: g.requester,
    [APPROVED_BY_ANNOTATION]: g.approvers.join(',') || 'break-glass',
    [REASON_ANNOTATION]: g.reason.slice(0, 200),
  };
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: g.clusterRole };
  const subjects = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: g.user }];
  if (g.scope === 'cluster') {
    return [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name, labels, annotations },
        roleRef,
        subjects,
      },
    ];
  }
  return [...g.namespaces].sort().map((namespace) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace, labels: { ...labels }, annotations: { ...annotations } },
    roleRef,
    subjects,
  }));
}

/** `RoleBinding/<namespace>/<name>` or `ClusterRoleBinding/<name>`: what the store keeps to revoke later. */
export function bindingRef(o: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return o.metadata.namespace
    ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;
}

export function parseBindingRef(
  ref: string,
): { kind: 'RoleBinding' | 'ClusterRoleBinding'; namespace?: string; name: string } | undefined {
  const parts = ref.split('/');
  if (parts[0] === 'RoleBinding' && parts.length === 3)
    return { kind: 'RoleBinding', namespace: parts[1] as string, name: parts[2] as string };
  if (parts[0] === 'ClusterRoleBinding' && parts.length === 2)
    return { kind: 'ClusterRoleBinding', name: parts[1] as string };
  return undefined;
}

/** The grant a binding in the cluster claims to belong to (annotation first, then label, then name). */
export function grantOfBinding(o: KubeObject): string | undefined {
  const a = o.metadata.annotations?.[GRANT_ID_ANNOTATION];
  if (a) return a;
  const l = o.metadata.labels?.[GRANT_LABEL];
  if (l) return l;
  return o.metadata.name.startsWith(BINDING_PREFIX)
    ? o.metadata.name.slice(BINDING_PREFIX.length)
    : undefined;
}

/** Whether a binding looks like a JIT grant (ours, or a hand-made copy of one). */
export function isGrantBinding(o: KubeObject): boolean {
  return o.metadata.name.startsWith(BINDING_PREFIX) || o.metadata.labels?.[GRANT_LABEL] !== undefined;
}
