/**
 * ArgoCD wiring of one environment (objects that live in the ArgoCD cluster, `system`, namespace `argocd`):
 * an AppProject allowing only the spec's repository and the environment's namespaces, and an ApplicationSet
 * generating one Application for the environment's baseline (namespaces, policies, RBAC, monitoring, sealed
 * secrets) and one per service. Automated sync follows `argocd.autoSync` (manual in production by default).
 *
 * ArgoCD must not undo day-2 changes the bot makes on purpose: every Application ignores
 * SealedSecret `/spec/encryptedData` and the rotation annotations, the `restartedAt` annotation a rollout
 * restart sets (a Deployment with an HPA leaves `replicas` unset, so the HPA owns it); `RespectIgnoreDifferences=true` makes sync honour that too
 * (without it a sync would still write the stale value back). See docs/adr/0001-cdk8s-plus-33.md.
 */

import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { EnvironmentModel, Model } from '../../model.js';
import { byName, type Manifest } from './objects.js';
import { ANNOTATION, BOT_NAMESPACE, commonLabels, LABEL, managedNamespaces, PLATFORM } from './platform.js';

/** Constructors of the typed CRD models (loaded lazily by the emitter). */
export interface ArgoModels {
  AppProject: new (data: Omit<IAppProject, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
  ApplicationSet: new (data: Omit<IApplicationSet, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
  Application: new (data: Omit<IApplication, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
}

/** The environment whose cluster runs ArgoCD (the spec's `hosts: [argocd]`). */
export function argocdHost(model: Model): EnvironmentModel | undefined {
  return model.environments.find((e) => e.hosts.includes('argocd'));
}

/** ArgoCD's name for an environment's cluster: the cluster Secret the argo-bootstrap module registers. */
export function clusterName(model: Model, env: EnvironmentModel): string {
  return argocdHost(model)?.name === env.name ? 'in-cluster' : env.name;
}

/** A path under `gitops.path` (the repository directory holding generated/kubernetes). */
function repoPath(model: Model, ...parts: string[]): string {
  return [model.gitops.path.replace(/\/+$/, ''), ...parts].filter((p) => p !== '').join('/');
}

/** Sync waves of objects inside an Application: namespaces, then policies and RBAC, then workloads. */
export const SYNC_WAVE: Record<string, string> = {
  Namespace: '-3',
  ResourceQuota: '-2',
  LimitRange: '-2',
  NetworkPolicy: '-2',
  ClusterRole: '-1',
  ClusterIssuer: '-1',
  ClusterRoleBinding: '-1',
  Role: '-1',
  RoleBinding: '-1',
  ServiceAccount: '-1',
  Secret: '-1',
  SealedSecret: '0',
  ConfigMap: '0',
  PrometheusRule: '0',
  ServiceMonitor: '0',
  Service: '0',
  PodDisruptionBudget: '0',
  Deployment: '1',
  HorizontalPodAutoscaler: '2',
  Ingress: '2',
};

/** What every generated Application ignores, so ArgoCD keeps the bot's rotations and restarts. */
export function ignoreDifferences() {
  const esc = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
  return [
    {
      group: 'bitnami.com',
      kind: 'SealedSecret',
      jsonPointers: [
        '/spec/encryptedData',
        ...[ANNOTATION.rotatedAt, ANNOTATION.rotatedBy, ANNOTATION.nextDue].map(
          (a) => `/metadata/annotations/${esc(a)}`,
        ),
      ],
    },
    {
      group: 'apps',
      kind: 'Deployment',
      jsonPointers: [`/spec/template/metadata/annotations/${esc(ANNOTATION.restartedAt)}`],
    },
  ];
}

const SYNC_OPTIONS = [
  'CreateNamespace=false',
  'PruneLast=true',
  'RespectIgnoreDifferences=true',
  'ServerSideApply=true',
];

/** Kinds an environment's Applications may create, by API group (the AppProject's allow list). */
const NAMESPACED_KINDS: Array<[string, string[]]> = [
  ['', ['ConfigMap', 'LimitRange', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount']],
  ['apps', ['Deployment']],
  ['autoscaling', ['HorizontalPodAutoscaler']],
  ['bitnami.com', ['SealedSecret']],
  ['monitoring.coreos.com', ['PrometheusRule', 'ServiceMonitor']],
  ['networking.k8s.io', ['Ingress', 'NetworkPolicy']],
  ['policy', ['PodDisruptionBudget']],
  ['rbac.authorization.k8s.io', ['Role', 'RoleBinding']],
];

/** The AppProject role the bot's ArgoCD token belongs to (one token per project). */
export const BOT_PROJECT_ROLE = 'bot';

/**
 * The bot's project role: `sync` of the named Applications and nothing else — no get, update, patch, delete,
 * no wildcard. ArgoCD checks it on `POST /api/v1/applications/{name}/sync` with the role's JWT
 * (`argocd proj role create-token <project> bot`); see docs/security.md (GitOps).
 */
export function botProjectRole(project: string, apps: readonly string[]) {
  return {
    name: BOT_PROJECT_ROLE,
    description: "envc bot: start a sync of envc's Applications, nothing else",
    policies: [...apps]
      .sort(byName)
      .map((app) => `p, proj:${project}:${BOT_PROJECT_ROLE}, applications, sync, ${project}/${app}, allow`),
  };
}

export function argocd(model: Model, env: EnvironmentModel, lib: ArgoModels): Manifest[] {
  const host = argocdHost(model);
  if (!host) return [];
  const out: Manifest[] = [];
  const cluster = clusterName(model, env);
  const labels = { ...commonLabels(env.name) };
  const namespaces = managedNamespaces(env).map((n) => n.name);

  const project = new lib.AppProject({
    metadata: { name: env.name, namespace: PLATFORM.argocd, labels },
    spec: {
      description: `envc: ${env.name} (${env.tier})`,
      sourceRepos: [model.gitops.repoURL],
      destinations: namespaces.map((ns) => ({ name: cluster, namespace: ns })),
      clusterResourceWhitelist: [
        { group: '', kind: 'Namespace' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'cert-manager.io', kind: 'ClusterIssuer' },
      ],
      namespaceResourceWhitelist: NAMESPACED_KINDS.flatMap(([group, kinds]) =>
        kinds.map((kind) => ({ group, kind })),
      ),
      orphanedResources: { warn: true },
      roles: [
        botProjectRole(
          env.name,
          applicationNames(env).filter((a) => a !== rootApplicationName(env.name)),
        ),
      ],
    },
  });
  out.push({ object: project.toJSON() as Manifest['object'], origin: env.origin });

  // One element per Application; values are strings because the template is a Go template.
  const base = repoPath(model, env.name);
  const elements: Array<Record<string, string>> = [
    // The baseline's own objects name their namespaces; the destination namespace only has to be one it owns.
    { name: `${env.name}-baseline`, component: 'baseline', path: base, namespace: BOT_NAMESPACE },
    ...[...env.services]
      .sort((a, b) => byName(a.name, b.name))
      .map((s) => ({
        name: `${env.name}-${s.name}`,
        component: s.name,
        path: `${base}/services/${s.name}`,
        namespace: s.namespace,
      })),
  ];
  const syncPolicy = {
    ...(env.argocd.autoSync ? { automated: { prune: true, selfHeal: true } } : {}),
    syncOptions: SYNC_OPTIONS,
    // Services sync into namespaces the baseline creates: retry until it has.
    retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
  };
  const appSet = new lib.ApplicationSet({
    metadata: { name: `envc-${env.name}`, namespace: PLATFORM.argocd, labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements } }],
      // Applications are envc's: the ApplicationSet owns them, and deleting a service prunes its app.
      syncPolicy: { preserveResourcesOnDeletion: false },
      template: {
        metadata: {
          name: '{{.name}}',
          labels: { ...labels, [LABEL.component]: '{{.component}}' },
        },
        spec: {
          project: env.name,
          source: {
            repoURL: model.gitops.repoURL,
            targetRevision: model.gitops.targetRevision,
            path: '{{.path}}',
            // argocd.yaml belongs to the ArgoCD cluster, not this environment's.
            directory: { recurse: false, exclude: 'argocd.yaml' },
          },
          destination: { name: cluster, namespace: '{{.namespace}}' },
          syncPolicy,
          ignoreDifferences: ignoreDifferences(),
        },
      },
    },
  });
  out.push({ object: appSet.toJSON() as Manifest['object'], origin: env.origin });

  return out;
}

/** One root Application in the argocd-apps chart's format (the Application's spec fields plus its namespace). */
export type RootApplication = Pick<
  IApplication['spec'],
  'project' | 'source' | 'destination' | 'syncPolicy'
> & { namespace: string; additionalLabels: Record<string, string> };

/** The AppProject every root Application belongs to (never `default`, which allows everything). */
export const ROOT_PROJECT = 'envc-roots';

/** The root Application of an environment. */
export function rootApplicationName(env: string): string {
  return `envc-${env}-root`;
}

/** Names of the Applications envc generates for an environment (what the bot may sync). */
export function applicationNames(env: EnvironmentModel): string[] {
  return [
    rootApplicationName(env.name),
    `${env.name}-baseline`,
    ...env.services.map((s) => `${env.name}-${s.name}`),
  ].sort(byName);
}

/** Every Application the ArgoCD host runs for envc (the bot's sync allow list on that cluster). */
export function allApplicationNames(model: Model): string[] {
  if (!argocdHost(model)) return [];
  return model.environments.flatMap(applicationNames).sort(byName);
}

/**
 * The root Applications' AppProject (argocd-apps chart `projects` format): the spec's repository only, the
 * ArgoCD cluster's `argocd` namespace only, and only the two kinds an environment's argocd.yaml holds
 * (AppProject, ApplicationSet) — no cluster-scoped kind at all. ArgoCD projects cannot limit a path; each
 * root's path is pinned by Terraform (not by git), so a commit can change what argocd.yaml says but not
 * which file a root syncs. See docs/security.md (GitOps).
 */
export function rootProjects(model: Model): Record<string, RootProject> {
  if (!argocdHost(model)) return {};
  return {
    [ROOT_PROJECT]: {
      namespace: PLATFORM.argocd,
      description: 'envc: root Applications (each syncs one generated argocd.yaml)',
      sourceRepos: [model.gitops.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: PLATFORM.argocd }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'AppProject' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
      ],
      orphanedResources: { warn: true },
      roles: [
        botProjectRole(
          ROOT_PROJECT,
          model.environments.map((e) => rootApplicationName(e.name)),
        ),
      ],
    },
  };
}

export type RootProject = Pick<
  IAppProject['spec'] & object,
  | 'description'
  | 'sourceRepos'
  | 'destinations'
  | 'clusterResourceWhitelist'
  | 'namespaceResourceWhitelist'
  | 'orphanedResources'
  | 'roles'
> & { namespace: string };

const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * The root Applications the argo-bootstrap Terraform module installs (argocd-apps chart `applications`,
 * keyed by name): one per environment, each syncing only that environment's argocd.yaml into the ArgoCD
 * cluster, in the `envc-roots` project. Everything else reaches the clusters through the ApplicationSets those
 * files define. A root syncs automatically only where its environment does: production's root (and any
 * environment with `argocd.autoSync: false`) waits for the bot's sync after an approved apply, so one commit
 * cannot reach production around its manual sync.
 */
export function rootApplications(model: Model): Record<string, RootApplication> {
  const out: Record<string, RootApplication> = {};
  for (const env of [...model.environments].sort((a, b) => byName(a.name, b.name))) {
    const auto = env.argocd.autoSync && env.tier !== 'production';
    out[rootApplicationName(env.name)] = {
      namespace: PLATFORM.argocd,
      // The bot finds an environment's Applications by this label (bot/argo.ts ENV_LABEL).
      additionalLabels: { ...commonLabels(env.name), [LABEL.component]: 'root' },
      project: ROOT_PROJECT,
      source: {
        repoURL: model.gitops.repoURL,
        targetRevision: model.gitops.targetRevision,
        path: repoPath(model, env.name),
        directory: { recurse: false, include: 'argocd.yaml' },
      },
      destination: { server: IN_CLUSTER, namespace: PLATFORM.argocd },
      syncPolicy: {
        ...(auto ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['ServerSideApply=true'],
      },
    };
  }
  return out;
}

/** The same root Applications (and their AppProject) as objects (what the chart renders), for validation. */
export function rootApplicationObjects(model: Model): Array<IApplication | IAppProject> {
  const projects: IAppProject[] = Object.entries(rootProjects(model)).map(
    ([name, { namespace, ...spec }]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name, namespace },
      spec,
    }),
  );
  const apps: IApplication[] = Object.entries(rootApplications(model)).map(
    ([name, { namespace, additionalLabels, ...spec }]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace, labels: additionalLabels },
      spec,
    }),
  );
  return [...projects, ...apps];
}
