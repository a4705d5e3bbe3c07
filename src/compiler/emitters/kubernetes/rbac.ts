/**
 * RBAC of one environment: the access packages (ClusterRoles view/edit/admin/break-glass) its access
 * policies grant, the standing group bindings the spec names, and the bot's own ServiceAccount with only
 * what just-in-time access and rotation need. Pure data.
 *
 * Time-bound grants are not emitted: the bot creates them (RoleBinding or ClusterRoleBinding named
 * `envc-grant-<id>`, labelled `envc.io/grant`) referencing `accessRoleName(policy)`, and deletes them at expiry.
 */
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { AccessPolicyModel, EnvironmentModel, Model } from '../../model.js';
import { byName, type KubeObject, type Manifest } from './objects.js';
import {
  appNamespaces,
  BOT_NAMESPACE,
  BOT_SERVICE_ACCOUNT,
  COMPONENTS,
  commonLabels,
  LABEL,
  PLATFORM,
  SEALED_SECRETS_CONTROLLER,
} from './platform.js';

export type AccessLevel = 'view' | 'debug' | 'edit' | 'admin' | 'break-glass';

/** The ClusterRole a policy grants (what the bot's bindings reference). */
export function accessRoleName(policy: Pick<AccessPolicyModel, 'role' | 'breakGlass'>): string {
  return `envc:${accessLevel(policy)}`;
}

export function accessLevel(policy: Pick<AccessPolicyModel, 'role' | 'breakGlass'>): AccessLevel {
  return policy.breakGlass ? 'break-glass' : policy.role;
}

/** Namespaces a namespace-scoped policy covers in an environment. */
export function policyNamespaces(env: EnvironmentModel, policy: AccessPolicyModel): string[] {
  return policy.namespaces ? [...policy.namespaces].sort(byName) : appNamespaces(env).map((n) => n.name);
}

const R = (
  apiGroups: string[],
  resources: string[],
  verbs: string[],
  resourceNames?: string[],
): IPolicyRule => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames ? { resourceNames } : {}),
});

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Resources an app team works with, by API group. Secrets are deliberately absent below admin. */
const WORKLOADS: Array<[string, string[]]> = [
  [
    '',
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'services',
      'serviceaccounts',
    ],
  ],
  ['apps', ['daemonsets', 'deployments', 'replicasets', 'statefulsets']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['batch', ['cronjobs', 'jobs']],
  ['networking.k8s.io', ['ingresses']],
  ['policy', ['poddisruptionbudgets']],
  ['monitoring.coreos.com', ['podmonitors', 'prometheusrules', 'servicemonitors']],
];

/** Pod subresources that open a session inside a running container (the `debug` package only). */
export const DEBUG_SUBRESOURCES = ['pods/attach', 'pods/exec', 'pods/portforward'];

/** Explicit, reviewable rules per access level (no aggregation: what is granted is in this file). */
export function accessRules(level: AccessLevel): IPolicyRule[] {
  if (level === 'break-glass') {
    return [R(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }];
  }
  const view: IPolicyRule[] = [
    ...WORKLOADS.map(([g, rs]) => R([g], rs, READ)),
    R([''], ['events', 'limitranges', 'namespaces', 'pods/log', 'resourcequotas'], READ),
    R(['discovery.k8s.io'], ['endpointslices'], READ),
    R(['networking.k8s.io'], ['networkpolicies'], READ),
    R(['bitnami.com'], ['sealedsecrets'], READ),
    R(['argoproj.io'], ['applications'], READ),
  ];
  if (level === 'view') return view;
  // A shell in a pod reads every Secret and token that pod mounts: exec, attach and port-forward are their
  // own package (`debug`: view plus these), granted short and with approval, never part of `edit`.
  if (level === 'debug') return [...view, R([''], DEBUG_SUBRESOURCES, ['create', 'get'])];
  const edit: IPolicyRule[] = [
    ...view,
    ...WORKLOADS.map(([g, rs]) => R([g], rs, WRITE)),
    R(
      ['apps'],
      ['deployments/scale', 'statefulsets/scale', 'deployments/rollback'],
      ['get', 'patch', 'update', 'create'],
    ),
    R([''], ['secrets'], ['create', 'update', 'patch', 'delete']),
  ];
  if (level === 'edit') return edit;
  return [
    ...edit,
    R([''], ['secrets'], READ),
    R(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...READ, ...WRITE]),
    R(['networking.k8s.io'], ['networkpolicies'], WRITE),
    R(['bitnami.com'], ['sealedsecrets'], WRITE),
  ];
}

function meta(env: string, name: string, namespace?: string, extra: Record<string, string> = {}) {
  return { name, ...(namespace ? { namespace } : {}), labels: { ...commonLabels(env), ...extra } };
}

export function rbac(model: Model, env: EnvironmentModel): Manifest[] {
  const out: Manifest[] = [];
  const policies = model.accessPolicies
    .filter((p) => env.accessPolicies.includes(p.name))
    .sort((a, b) => byName(a.name, b.name));
  const levels = [...new Set(policies.map(accessLevel))].sort(byName);

  for (const level of levels) {
    const role: IClusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(env.name, `envc:${level}`, undefined, { [LABEL.component]: 'access-package' }),
      rules: accessRules(level),
    };
    const first = policies.find((p) => accessLevel(p) === level)!;
    out.push({ object: role as unknown as KubeObject, origin: first.origin });
  }

  // Standing bindings: the groups a policy names hold its role permanently (no approval, no expiry).
  for (const p of policies) {
    if (p.groups.length === 0) continue;
    const subjects = [...p.groups].sort(byName).map((g) => ({
      kind: 'Group',
      apiGroup: 'rbac.authorization.k8s.io',
      name: `${model.identity.groupPrefix}${g}`,
    }));
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: accessRoleName(p) };
    const labels = { [LABEL.accessPolicy]: p.name };
    if (p.scope === 'cluster') {
      const b: IClusterRoleBinding = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(env.name, `envc:${p.name}:standing`, undefined, labels),
        roleRef,
        subjects,
      };
      out.push({ object: b as unknown as KubeObject, origin: p.origin });
    } else {
      for (const ns of policyNamespaces(env, p)) {
        const b: IRoleBinding = {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: meta(env.name, `envc:${p.name}:standing`, ns, labels),
          roleRef,
          subjects,
        };
        out.push({ object: b as unknown as KubeObject, origin: p.origin });
      }
    }
  }

  out.push(...botRbac(env, policies));
  return out;
}

/**
 * The bot's identity: in `system` its pod runs as this ServiceAccount (projected token); in every other
 * cluster the bot mints a short-lived token for the same ServiceAccount with the TokenRequest API
 * (integrations/kube-token.ts `boundKubernetes`) — there is no legacy `kubernetes.io/service-account-token` Secret.
 * It may create and delete bindings, and bind only the access packages this environment's policies grant
 * (`bind` with resourceNames — no `escalate`, no right to edit any role); restart Deployments; read and patch
 * SealedSecrets; read the Sealed Secrets certificate; read (never write) ArgoCD Applications where ArgoCD runs
 * — it starts syncs through the ArgoCD API with its project roles' tokens (argocd.ts `botProjectRole`).
 */
function botRbac(env: EnvironmentModel, policies: AccessPolicyModel[]): Manifest[] {
  const out: Manifest[] = [];
  const e = env.name;
  const o = env.origin;
  const sa = BOT_SERVICE_ACCOUNT;
  const subject = [{ kind: 'ServiceAccount', name: sa, namespace: BOT_NAMESPACE }];
  const hostsBot = env.hosts.includes('bot');
  const account: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(e, sa, BOT_NAMESPACE, COMPONENTS.bot.labels),
    // Only the bot's own pod (system) mounts a token, and that one is projected (bound, expiring, rotated
    // by the kubelet). Elsewhere the bot asks for a short-lived token (TokenRequest) when it connects; no
    // non-expiring token Secret exists anywhere.
    automountServiceAccountToken: hostsBot,
  };
  out.push({ object: account as unknown as KubeObject, origin: o });

  const nsPolicies = policies.filter((p) => p.scope === 'namespace');
  const clusterPolicies = policies.filter((p) => p.scope === 'cluster');
  const nsRoles = [...new Set(nsPolicies.map(accessRoleName))].sort(byName);
  const clusterRoles = [...new Set(clusterPolicies.map(accessRoleName))].sort(byName);
  const bindRef = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });

  const pushClusterRole = (name: string, rules: IPolicyRule[]) => {
    const r: IClusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(e, name, undefined, COMPONENTS.bot.labels),
      rules,
    };
    out.push({ object: r as unknown as KubeObject, origin: o });
  };
  const pushRoleBinding = (
    name: string,
    namespace: string,
    roleRef: { apiGroup: string; kind: string; name: string },
  ) => {
    const b: IRoleBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(e, name, namespace, COMPONENTS.bot.labels),
      roleRef,
      subjects: subject,
    };
    out.push({ object: b as unknown as KubeObject, origin: o });
  };

  if (nsRoles.length > 0) {
    pushClusterRole('envc:bot:grants', [
      R(['rbac.authorization.k8s.io'], ['rolebindings'], ['get', 'list', 'watch', 'create', 'delete']),
      R(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], nsRoles),
    ]);
    const grantNamespaces = [...new Set(nsPolicies.flatMap((p) => policyNamespaces(env, p)))].sort(byName);
    for (const ns of grantNamespaces) pushRoleBinding('envc:bot:grants', ns, bindRef('envc:bot:grants'));
  }
  if (clusterRoles.length > 0) {
    pushClusterRole('envc:bot:cluster-grants', [
      R(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['get', 'list', 'watch', 'create', 'delete']),
      R(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], clusterRoles),
    ]);
    const b: IClusterRoleBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(e, 'envc:bot:cluster-grants', undefined, COMPONENTS.bot.labels),
      roleRef: bindRef('envc:bot:cluster-grants'),
      subjects: subject,
    };
    out.push({ object: b as unknown as KubeObject, origin: o });
  }

  // Rotation: restart the workloads that use a secret and patch the SealedSecret, where secrets live.
  const secretNamespaces = [...new Set(env.secrets.flatMap((s) => s.namespaces))].sort(byName);
  if (secretNamespaces.length > 0) {
    pushClusterRole('envc:bot:rotation', [
      R(['apps'], ['deployments'], ['get', 'list', 'watch', 'patch']),
      R(['bitnami.com'], ['sealedsecrets'], ['get', 'list', 'watch', 'patch']),
    ]);
    for (const ns of secretNamespaces) pushRoleBinding('envc:bot:rotation', ns, bindRef('envc:bot:rotation'));
  }

  // The Sealed Secrets controller's public certificate, through the API server's service proxy.
  const certRole: IRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(e, 'envc:bot:sealing-cert', PLATFORM.sealedSecrets, COMPONENTS.bot.labels),
    rules: [
      R([''], ['services'], ['get'], [SEALED_SECRETS_CONTROLLER]),
      R([''], ['services/proxy'], ['get'], [SEALED_SECRETS_CONTROLLER, `http:${SEALED_SECRETS_CONTROLLER}:`]),
    ],
  };
  out.push({ object: certRole as unknown as KubeObject, origin: o });
  pushRoleBinding('envc:bot:sealing-cert', PLATFORM.sealedSecrets, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'Role',
    name: 'envc:bot:sealing-cert',
  });

  if (env.hosts.includes('argocd')) {
    const argoRole: IRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(e, 'envc:bot:argocd', PLATFORM.argocd, COMPONENTS.bot.labels),
      // Read only: a patch cannot be narrowed to `.operation` (it could rewrite an Application's spec). The
      // bot starts syncs through the ArgoCD API, where its project role may `sync` named Applications only.
      rules: [R(['argoproj.io'], ['applications'], READ)],
    };
    out.push({ object: argoRole as unknown as KubeObject, origin: o });
    pushRoleBinding('envc:bot:argocd', PLATFORM.argocd, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'envc:bot:argocd',
    });
  }
  return out;
}
