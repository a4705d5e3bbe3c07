/**
 * Baseline NetworkPolicies of one environment: default deny (ingress and egress) in every namespace envc
 * manages, then explicit allows — DNS, the ingress controller and cert-manager's HTTP-01 solvers, the
 * observability scrapers, the admission webhooks, the spec's egress allowlist, data services, and each
 * service's `allowFrom` override. Every namespaceSelector also selects on `envc.io/environment`, so no policy
 * ever opens a path to another environment's namespaces, even if two clusters' networks were joined. Pure
 * data; `envc traffic` evaluates exactly these objects (the managed-PostgreSQL egress, whose port and
 * addresses only exist after apply, is written by Terraform: service-policies.ts postgresEgressPolicy).
 */
import type { EnvironmentModel } from '../../model.js';
import type { Manifest } from './objects.js';
import { COMPONENTS, KUBE_SYSTEM, LABEL, managedNamespaces, PLATFORM, PORTS } from './platform.js';
import { platformPolicies } from './platform-policies.js';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT, componentPeer, policy, tcp, udp } from './policy-parts.js';
import { appNamespacePolicies } from './service-policies.js';

export { outside } from './policy-parts.js';
export { effectiveAllowFrom, redisClientPorts } from './service-policies.js';

/**
 * Namespaces holding an Ingress, where cert-manager starts an HTTP-01 solver pod for each certificate it
 * orders: app namespaces with a service Ingress, `monitoring` (every environment's Grafana) and `argocd`
 * where ArgoCD runs.
 */
export function ingressNamespaces(env: EnvironmentModel): string[] {
  const names = new Set(env.services.filter((s) => s.ingress).map((s) => s.namespace));
  names.add(PLATFORM.monitoring);
  if (env.hosts.includes('argocd')) names.add(PLATFORM.argocd);
  return [...names].sort();
}

export function networkPolicies(env: EnvironmentModel): Manifest[] {
  const out: Manifest[] = [];
  const e = env.name;
  const ctx = {
    hosts: new Set<string>(env.hosts),
    servicesWithIngress: env.services.filter((s) => s.ingress),
    redisUsers: env.services.filter((s) => s.dataServices.includes('redis')),
    ingressNamespaces: ingressNamespaces(env),
  };

  for (const ns of managedNamespaces(env)) {
    const n = ns.name;
    // 1. Default deny: an empty podSelector isolates every pod in both directions.
    out.push(
      policy(
        env,
        { name: 'default-deny-all', namespace: n, podSelector: {}, types: ['Ingress', 'Egress'] },
        env.origin,
      ),
    );
    // 2. DNS to the cluster's resolver only.
    out.push(
      policy(
        env,
        {
          name: 'allow-dns',
          namespace: n,
          podSelector: {},
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [LABEL.metadataName]: KUBE_SYSTEM } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [udp(PORTS.dns), tcp(PORTS.dns)],
            },
          ],
        },
        env.origin,
      ),
    );
    // 3. cert-manager's HTTP-01 solver pods run beside each Ingress; the controller must reach them.
    if (ctx.ingressNamespaces.includes(n)) {
      out.push(
        policy(
          env,
          {
            name: 'allow-acme-http01',
            namespace: n,
            podSelector: { ...ACME_SOLVER_LABELS },
            ingress: [
              { from: [componentPeer(e, COMPONENTS.ingressController)], ports: [tcp(ACME_SOLVER_PORT)] },
            ],
          },
          env.origin,
        ),
      );
    }

    if (ns.kind === 'app') {
      out.push(...appNamespacePolicies(env, n));
      continue;
    }

    // Platform namespaces.
    if (n !== PLATFORM.monitoring) {
      out.push(
        policy(
          env,
          {
            name: 'allow-prometheus-scrape',
            namespace: n,
            podSelector: {},
            ingress: [{ from: [componentPeer(e, COMPONENTS.prometheus)] }],
          },
          env.origin,
        ),
      );
    }
    // The API-server egress of the namespaces that talk to it is written by the platform stack
    // (`kubernetes_manifest.allow_kube_apiserver`): it admits the control plane's own addresses, known only
    // once the cluster exists, never 0.0.0.0/0.
    out.push(...platformPolicies(env, n, ctx));
  }
  return out;
}
