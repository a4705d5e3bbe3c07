/**
 * Helm values per release and environment, as data. Keys follow the charts pinned in
 * terraform/versions.ts (CHARTS); a chart upgrade changes that table and these functions together.
 * Names that other parts of envc rely on (pod labels in NetworkPolicies, the Sealed Secrets controller
 * name the bot and kubeseal use, Tempo's OTLP service) are set explicitly here.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { argocdHostname, LABEL, SEALED_SECRETS_CONTROLLER } from '../kubernetes/platform.js';
import { type Resources, type Sizing, sizing } from './sizing.js';

export type Values = Record<string, unknown>;

/** Linode Block Storage, kept when a claim is deleted (metrics and logs survive a reinstall). */
export const STORAGE_CLASS = 'linode-block-storage-retain';

/**
 * Secrets the values reference by name. Alertmanager's Slack webhook is a value only the operator has: the
 * platform stack writes it from TF_VAR_alertmanager_slack_webhook_url, supplied at run time (ADR 0019).
 */
export const EXTERNAL_SECRETS = {
  alertmanagerSlack: {
    name: 'alertmanager-slack',
    key: 'webhook-url',
    variable: 'alertmanager_slack_webhook_url',
  },
} as const;

export function spread(ha: boolean, labels: Record<string, string>): Values {
  // Across nodes where possible; across zones does not apply (an LKE cluster lives in one region).
  return ha
    ? {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels },
          },
        ],
      }
    : {};
}

export function res(x: Resources): Values {
  return { requests: { ...x.requests }, limits: { ...x.limits } };
}

export function ingressFor(host: string, secretName: string) {
  return {
    enabled: true,
    ingressClassName: 'nginx',
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    hosts: [host],
    tls: [{ secretName, hosts: [host] }],
  };
}

export function sealedSecrets(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    // kubeseal's and the bot's default controller name; the bot's RBAC names it too.
    fullnameOverride: SEALED_SECRETS_CONTROLLER,
    resources: res(s.resources.sealedSecrets),
    metrics: { serviceMonitor: { enabled: true } },
    keyrenewperiod: '720h',
    commonLabels: { [LABEL.environment]: env.name },
  };
}

export function ingressNginx(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    controller: {
      replicaCount: s.replicas.ingress,
      minAvailable: s.ha ? 2 : 0,
      ingressClassResource: { name: 'nginx', enabled: true, default: true },
      ingressClass: 'nginx',
      allowSnippetAnnotations: false,
      resources: res(s.resources.ingress),
      ...spread(s.ha, { [LABEL.name]: 'ingress-nginx', [LABEL.component]: 'controller' }),
      config: {
        'server-tokens': 'false',
        hsts: 'true',
        'ssl-redirect': 'true',
        'use-forwarded-headers': 'false',
        'enable-real-ip': 'false',
      },
      // A Linode NodeBalancer; Local keeps the client address for NetworkPolicies and logs.
      service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
      admissionWebhooks: { enabled: true },
    },
  };
}

export function certManager(env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  return {
    crds: { enabled: true, keep: true },
    replicaCount: s.replicas.certManager,
    podDisruptionBudget: { enabled: s.ha },
    resources: res(s.resources.certManager),
    webhook: { replicaCount: s.replicas.certManager, podDisruptionBudget: { enabled: s.ha } },
    cainjector: { replicaCount: s.ha ? 2 : 1, podDisruptionBudget: { enabled: s.ha } },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    global: { commonLabels: { [LABEL.environment]: env.name } },
  };
}

export function argoCd(model: Model, env: EnvironmentModel, s: Sizing = sizing(env)): Values {
  const host = argocdHostname(env);
  return {
    global: { domain: host },
    configs: {
      // TLS ends at the ingress controller.
      params: { 'server.insecure': true },
      cm: {
        'application.resourceTrackingMethod': 'annotation',
        'admin.enabled': false,
        'exec.enabled': false,
        'statusbadge.enabled': false,
      },
      repositories: { platform: { url: model.gitops.repoURL, type: 'git', name: 'platform' } },
    },
    'redis-ha': { enabled: s.ha },
    redis: { enabled: !s.ha },
    controller: { replicas: 1, resources: res(s.resources.argocd) },
    server: {
      replicas: s.replicas.argocd,
      resources: res(s.resources.argocd),
      ingress: {
        enabled: true,
        ingressClassName: 'nginx',
        hostname: host,
        tls: true,
        annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    repoServer: {
      replicas: s.replicas.argocd,
      resources: res(s.resources.argocd),
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    applicationSet: {
      replicas: s.replicas.argocd,
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
  };
}
