/**
 * Pods the flow model needs that neither the generated manifests nor the shared component table describe:
 * CoreDNS (kube-system, which the API server labels by name), cert-manager's HTTP-01 solver pods (created
 * per challenge in the Ingress' namespace), and the admission webhooks the API server calls. Labels and ports
 * are the charts' and LKE's own. Added to a copy of the universe only where nothing of that name exists. Pure.
 */

import { nsKey, type Pod, type Universe } from '../../traffic/universe.js';
import { PLATFORM } from '../emitters/kubernetes/platform.js';

export const KUBE_SYSTEM = 'kube-system';

export const COREDNS: Omit<Pod, 'env'> = {
  namespace: KUBE_SYSTEM,
  name: 'coredns',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'metrics', port: 9153, protocol: 'TCP' },
  ],
  kind: 'component',
};

export const ACME_SOLVER_PORT = 8089;

export function acmeSolver(env: string, namespace: string): Pod {
  return {
    env,
    namespace,
    name: 'acme-http01-solver',
    labels: { 'acme.cert-manager.io/http01-solver': 'true' },
    ports: [{ name: 'http', port: ACME_SOLVER_PORT, protocol: 'TCP' }],
    kind: 'component',
  };
}

/** Admission webhooks of the pinned charts: where the API server sends AdmissionReviews. */
export const WEBHOOKS: Array<Omit<Pod, 'env'>> = [
  {
    namespace: PLATFORM.certManager,
    name: 'cert-manager-webhook',
    labels: {
      'app.kubernetes.io/name': 'webhook',
      'app.kubernetes.io/instance': 'cert-manager',
      'app.kubernetes.io/component': 'webhook',
    },
    ports: [{ name: 'https', port: 10250, protocol: 'TCP' }],
    kind: 'component',
  },
  {
    namespace: PLATFORM.monitoring,
    name: 'prometheus-operator',
    labels: {
      app: 'kube-prometheus-stack-operator',
      'app.kubernetes.io/name': 'kube-prometheus-stack-prometheus-operator',
      'app.kubernetes.io/instance': 'kube-prometheus-stack',
    },
    ports: [{ name: 'https', port: 10250, protocol: 'TCP' }],
    kind: 'component',
  },
  {
    namespace: PLATFORM.ingress,
    name: 'ingress-nginx-admission',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [{ name: 'webhook', port: 8443, protocol: 'TCP' }],
    kind: 'component',
  },
];

/** A copy of the universe with kube-system, CoreDNS, the webhooks and one ACME solver per given namespace. */
export function withPlatformPods(u: Universe, solverNamespaces: ReadonlyArray<[string, string]>): Universe {
  const namespaces = new Map(u.namespaces);
  const pods = [...u.pods];
  const has = (env: string, ns: string, name: string) =>
    pods.some((p) => p.env === env && p.namespace === ns && p.name === name);
  for (const env of u.environments) {
    if (!namespaces.has(nsKey(env, KUBE_SYSTEM)))
      namespaces.set(nsKey(env, KUBE_SYSTEM), {
        env,
        name: KUBE_SYSTEM,
        labels: { 'kubernetes.io/metadata.name': KUBE_SYSTEM },
      });
    if (!has(env, KUBE_SYSTEM, COREDNS.name)) pods.push({ ...COREDNS, env });
    for (const w of WEBHOOKS)
      if (namespaces.has(nsKey(env, w.namespace)) && !has(env, w.namespace, w.name)) pods.push({ ...w, env });
  }
  for (const [env, ns] of solverNamespaces)
    if (namespaces.has(nsKey(env, ns)) && !has(env, ns, 'acme-http01-solver')) pods.push(acmeSolver(env, ns));
  return { ...u, namespaces, pods };
}
