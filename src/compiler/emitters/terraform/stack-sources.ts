/** Source map of an environment's two roots: every Terraform address each creates → the spec location. */
import type { EnvironmentModel, Model, Origin } from '../../model.js';
import { postgresConnectionSecret } from '../handoff/conventions.js';
import { talksToApiServer } from '../kubernetes/platform.js';
import { postgresEgressPolicy } from '../kubernetes/service-policies.js';
import type { SourceRef } from '../types.js';
import { ingressHostKeys } from './ingress-hosts.js';
import { createdPools, dnsRecordKeys } from './tfvars.js';

export interface SourceRoles {
  argocdHost: boolean;
  registration?: EnvironmentModel;
}

export function clusterSources(env: EnvironmentModel): SourceRef[] {
  const refs: SourceRef[] = [];
  const add = (resource: string, origin: Origin | undefined) =>
    refs.push({ resource, origin: origin ?? env.origin });
  const fw = env.network.firewall;
  add('module.network.linode_firewall.this', fw.origin);
  for (const rule of [...fw.inbound, ...fw.outbound]) add('module.network.linode_firewall.this', rule.origin);
  for (const e of env.network.egressAllowlist) add('module.network.linode_firewall.this', e.origin);
  add('module.network.linode_domain.this', env.network.dns.origin);
  const keys = dnsRecordKeys(env);
  for (const [i, rec] of env.network.dns.records.entries()) {
    add(`module.network.linode_domain_record.this[${JSON.stringify(keys[i])}]`, rec.origin);
  }
  add('module.network.linode_nodebalancer.ingress', env.network.dns.origin);
  for (const h of ingressHostKeys(env)) {
    add(`module.network.linode_domain_record.ingress_a[${JSON.stringify(h.key)}]`, h.origin);
    add(`module.network.linode_domain_record.ingress_aaaa[${JSON.stringify(h.key)}]`, h.origin);
  }
  if (env.network.vpc) {
    add('module.network.linode_vpc.this[0]', env.network.vpc.origin);
    add('module.network.linode_vpc_subnet.this[0]', env.network.vpc.origin);
  }
  add('module.cluster.linode_lke_cluster.this', env.cluster.origin);
  for (const p of createdPools(env)) add('module.cluster.linode_lke_cluster.this', p.origin);
  if (env.cluster.controlPlaneAcl.origin)
    add('module.cluster.linode_lke_cluster.this', env.cluster.controlPlaneAcl.origin);
  if (env.dataServices.postgres)
    add('module.data_services.linode_database_postgresql_v2.this[0]', env.dataServices.postgres.origin);
  return refs;
}

export function platformSources(model: Model, env: EnvironmentModel, r: SourceRoles): SourceRef[] {
  const refs: SourceRef[] = [];
  const add = (resource: string, origin: Origin | undefined) =>
    refs.push({ resource, origin: origin ?? env.origin });
  add('module.ingress.helm_release.cert_manager', env.origin);
  add('module.ingress.helm_release.ingress_nginx', env.origin);
  add('module.secrets_bootstrap.helm_release.sealed_secrets', env.origin);
  for (const s of env.secrets)
    add(
      'module.secrets_bootstrap.helm_release.sealed_secrets',
      model.secrets.find((x) => x.name === s.name)?.origin,
    );
  for (const rel of ['kube_prometheus_stack', 'loki', 'tempo', 'alloy'])
    add(`module.observability.helm_release.${rel}`, env.origin);
  add('module.observability.kubernetes_secret_v1.alertmanager_slack', env.origin);
  for (const p of env.cluster.pools.filter((x) => x.isGpu))
    add('module.observability.helm_release.nvidia_device_plugin[0]', p.origin);
  if (env.dataServices.postgres) {
    for (const ns of postgresConnectionSecret(env)?.namespaces ?? []) {
      const key = JSON.stringify(ns);
      add(`module.app_data.kubernetes_namespace_v1.consumer[${key}]`, env.dataServices.postgres.origin);
      add(
        `module.app_data.kubernetes_secret_v1.postgres_connection[${key}]`,
        env.dataServices.postgres.origin,
      );
    }
    for (const ns of Object.keys(postgresEgressPolicy(env)?.services ?? {}))
      add(
        `module.app_data.kubernetes_manifest.postgres_egress[${JSON.stringify(ns)}]`,
        env.dataServices.postgres.origin,
      );
  }
  if (env.dataServices.redis) add('module.app_data.helm_release.redis[0]', env.dataServices.redis.origin);
  if (r.argocdHost) {
    add('module.argo_bootstrap.helm_release.argo_cd', env.origin);
    for (const e of model.environments) add('module.argo_bootstrap.helm_release.argocd_apps', e.origin);
  }
  if (r.registration) add('kubernetes_secret_v1.argocd_cluster', env.cluster.origin);
  for (const ns of env.namespaces.filter((n) => n.kind !== 'app' && talksToApiServer(n.name))) {
    add(`kubernetes_namespace_v1.platform[${JSON.stringify(ns.name)}]`, env.origin);
    add(`kubernetes_manifest.allow_kube_apiserver[${JSON.stringify(ns.name)}]`, env.origin);
  }
  return refs;
}
