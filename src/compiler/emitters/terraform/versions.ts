/**
 * What the generated Terraform pins: the Terraform CLI, the three providers and the Helm charts. The provider
 * versions are the ones test/fixtures/terraform-schemas.json was read from, so the schema check proves the
 * generated HCL against exactly what `terraform init` will install. Pinned to the patch series (`~> x.y.z`):
 * a new minor version can change a schema, and that should arrive as a reviewed envc change, not silently.
 */

/** >= 1.11: S3-native state locking (`use_lockfile`), cross-variable validations and `endpoints = {}`. */
export const TERRAFORM_VERSION = '>= 1.11.0, < 2.0.0';

export interface ProviderPin {
  /** Local name in required_providers (and the resource type prefix). */
  name: 'linode' | 'helm' | 'kubernetes';
  source: string;
  /** Root modules (environment stacks) pin this. */
  version: string;
  /** Modules only state the minimum they were written against; the root module decides. */
  minimum: string;
}

export const PROVIDERS: Record<ProviderPin['name'], ProviderPin> = {
  linode: { name: 'linode', source: 'linode/linode', version: '~> 3.13.0', minimum: '>= 3.13.0' },
  helm: { name: 'helm', source: 'hashicorp/helm', version: '~> 3.1.2', minimum: '>= 3.1.0' },
  kubernetes: {
    name: 'kubernetes',
    source: 'hashicorp/kubernetes',
    version: '~> 3.2.1',
    minimum: '>= 3.2.0',
  },
};

export interface ChartPin {
  /** helm_release name (also the values file name: helm/values/<env>/<release>.yaml). */
  release: string;
  repository: string;
  chart: string;
  version: string;
}

/**
 * Helm charts the Terraform modules install, keyed by release name. The Helm values emitter writes one values
 * file per release for the chart version pinned here — a chart upgrade changes this table and the values
 * together.
 */
export const CHARTS = {
  'kube-prometheus-stack': {
    release: 'kube-prometheus-stack',
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '77.14.0',
  },
  loki: {
    release: 'loki',
    repository: 'https://grafana.github.io/helm-charts',
    chart: 'loki',
    version: '6.49.0',
  },
  // The single-binary tempo chart moved from grafana/helm-charts (frozen at 1.24.x) to the community-maintained
  // grafana-community/helm-charts; 2.x is the maintained line.
  tempo: {
    release: 'tempo',
    repository: 'https://grafana-community.github.io/helm-charts',
    chart: 'tempo',
    version: '2.2.4',
  },
  // Grafana Alloy replaces promtail (deprecated, end of life 2026-03-02); its chart is published from
  // grafana/alloy to the grafana Helm repository.
  alloy: {
    release: 'alloy',
    repository: 'https://grafana.github.io/helm-charts',
    chart: 'alloy',
    version: '1.11.1',
  },
  'argo-cd': {
    release: 'argo-cd',
    repository: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-cd',
    version: '9.4.10',
  },
  'argocd-apps': {
    release: 'argocd-apps',
    repository: 'https://argoproj.github.io/argo-helm',
    chart: 'argocd-apps',
    version: '2.0.2',
  },
  'sealed-secrets': {
    release: 'sealed-secrets',
    repository: 'https://bitnami-labs.github.io/sealed-secrets',
    chart: 'sealed-secrets',
    version: '2.17.4',
  },
  'ingress-nginx': {
    release: 'ingress-nginx',
    repository: 'https://kubernetes.github.io/ingress-nginx',
    chart: 'ingress-nginx',
    version: '4.13.3',
  },
  'cert-manager': {
    release: 'cert-manager',
    repository: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.18.2',
  },
  // Redis with Sentinel on Docker's official Redis image (ADR 0018; Bitnami's free images are frozen).
  redis: {
    release: 'redis',
    repository: 'https://dandydeveloper.github.io/charts',
    chart: 'redis-ha',
    version: '4.39.0',
  },
  // Advertises `nvidia.com/gpu` on the GPU pools' nodes (only in environments with a GPU pool).
  'nvidia-device-plugin': {
    release: 'nvidia-device-plugin',
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    chart: 'nvidia-device-plugin',
    version: '0.20.0',
  },
} as const satisfies Record<string, ChartPin>;

export type ReleaseName = keyof typeof CHARTS;

/** Releases whose values come from generated/helm/values/<env>/<release>.yaml (argocd-apps is built here). */
export const VALUES_FILE_RELEASES = [
  'alloy',
  'argo-cd',
  'cert-manager',
  'ingress-nginx',
  'kube-prometheus-stack',
  'loki',
  'nvidia-device-plugin',
  'redis',
  'sealed-secrets',
  'tempo',
] as const satisfies readonly ReleaseName[];
