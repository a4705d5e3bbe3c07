/**
 * What the pinned charts bring into a cluster that other things wait for: the CRDs each installs, the
 * controllers it runs, and how to read from a release's values which custom resources it creates and which
 * Secrets it expects to find. A table, so a chart change is one line here. Pure.
 */

/** CRD kinds a chart installs (with its CRDs enabled, as envc's values do). */
export const CHART_CRDS: Record<string, readonly string[]> = {
  'kube-prometheus-stack': [
    'Alertmanager',
    'AlertmanagerConfig',
    'PodMonitor',
    'Probe',
    'Prometheus',
    'PrometheusAgent',
    'PrometheusRule',
    'ScrapeConfig',
    'ServiceMonitor',
    'ThanosRuler',
  ],
  'prometheus-operator-crds': ['PodMonitor', 'Probe', 'PrometheusRule', 'ScrapeConfig', 'ServiceMonitor'],
  'cert-manager': ['Certificate', 'CertificateRequest', 'Challenge', 'ClusterIssuer', 'Issuer', 'Order'],
  'sealed-secrets': ['SealedSecret'],
  'argo-cd': ['AppProject', 'Application', 'ApplicationSet'],
};

/** Custom resources a chart creates whatever its values say. */
export const CHART_ALWAYS_CREATES: Record<string, readonly string[]> = {
  'argocd-apps': ['Application', 'AppProject'],
};

/** Kinds the API server serves without any CRD. */
export const BUILT_IN_KINDS = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'CronJob',
  'DaemonSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Job',
  'LimitRange',
  'Namespace',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PriorityClass',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'Secret',
  'Service',
  'ServiceAccount',
  'StatefulSet',
  'StorageClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

const CR_KEYS: Record<string, string> = {
  servicemonitor: 'ServiceMonitor',
  podmonitor: 'PodMonitor',
  prometheusrule: 'PrometheusRule',
  prometheusrules: 'PrometheusRule',
};

/** Value keys that name a Secret the chart reads but does not create. */
const SECRET_KEYS = new Set(['existingSecret', 'existingSecretName']);
/** Lists of Secret names mounted by the operator (alertmanagerSpec.secrets, prometheusSpec.secrets). */
const SECRET_LIST_PARENTS = new Set(['alertmanagerSpec', 'prometheusSpec']);

export interface ValuesNeeds {
  /** Custom resource kinds the values switch on, with the values path that does it. */
  kinds: Array<{ kind: string; path: string }>;
  /** Secret names the release expects to exist in its namespace, with the values path. */
  secrets: Array<{ name: string; path: string }>;
}

/** Walks a release's values for the custom resources they enable and the Secrets they point at. */
export function valuesNeeds(values: unknown): ValuesNeeds {
  const out: ValuesNeeds = { kinds: [], secrets: [] };
  const walk = (v: unknown, path: string, parent: string) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`, parent);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      const kind = CR_KEYS[k.toLowerCase()];
      if (kind && child && typeof child === 'object' && !Array.isArray(child)) {
        const c = child as Record<string, unknown>;
        if (c.enabled === true || c.create === true) out.kinds.push({ kind, path: p });
      }
      if (SECRET_KEYS.has(k) && typeof child === 'string' && child !== '')
        out.secrets.push({ name: child, path: p });
      if (k === 'secrets' && SECRET_LIST_PARENTS.has(parent) && Array.isArray(child)) {
        for (const [i, s] of child.entries())
          if (typeof s === 'string') out.secrets.push({ name: s, path: `${p}[${i}]` });
      }
      walk(child, p, k);
    }
  };
  walk(values, '', '');
  return out;
}
