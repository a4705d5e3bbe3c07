/** README.md of an environment: what its two roots create, how to plan and apply them, inputs and outputs. */
import type { EnvironmentModel, Model } from '../../model.js';
import { formatCpu, formatMemory } from '../../quantities.js';
import {
  postgresConnectionSecret,
  postgresCredentialsSecret,
  REDIS_PASSWORD_KEY,
  redisCredentialsSecret,
} from '../handoff/conventions.js';
import { stateKey } from './roots.js';
import { outputsOf, variablesOf } from './tfdoc.js';

export interface ReadmeRoles {
  argocdHost: boolean;
  registration?: EnvironmentModel;
}

const MODULE_ROWS: Record<string, string> = {
  network: 'Cloud Firewall of the nodes, DNS zone and records, VPC where asked',
  cluster: 'LKE cluster, node pools, control plane and its ACL',
  ingress: 'ingress-nginx and cert-manager',
  secrets_bootstrap: 'Sealed Secrets controller; rotation metadata of the secrets',
  observability: 'kube-prometheus-stack, Loki, Tempo, Grafana Alloy',
  data_services: 'managed PostgreSQL: allow list, maintenance window, the port Linode reports',
  app_data: 'the PostgreSQL connection Secret; Redis in the cluster (redis-ha)',
  argo_bootstrap:
    'ArgoCD and one root Application per environment (each syncs generated/kubernetes/<env>/argocd.yaml)',
};

/** Things a reader of the stack should know that the spec makes true but does not say. */
function notes(env: EnvironmentModel): string[] {
  const out: string[] = [];
  const pg = env.dataServices.postgres;
  if (pg) {
    out.push(
      `The managed PostgreSQL admits ${pg.allowList.map((c) => `\`${c}\``).join(', ')} (its allowList, the nodes' egress \`network.nodeEgress\` and the VPC subnet) and listens on the port Linode reports: the cluster stack's \`postgres\` output, the connection Secret's \`port\` key, and the nodes' outbound firewall rule \`managed-postgres\`.`,
    );
  }
  const redis = redisCredentialsSecret(env);
  if (redis) {
    out.push(
      `Redis reads its password from the Secret \`${redis.name}\` (key \`${REDIS_PASSWORD_KEY}\`), which envc's rotation generates and seals into ${redis.namespaces.map((n) => `\`${n}\``).join(', ')} — Terraform never sees it. On a brand-new environment the Redis pods wait for it: after ArgoCD's first sync, run \`envc rotate --env ${env.name} --secret ${redis.name}\` (or let the rotation job do it; a secret never rotated is due at once).`,
    );
  }
  const connection = postgresConnectionSecret(env);
  if (connection && connection.namespaces.length > 0) {
    out.push(
      `Terraform writes the PostgreSQL connection Secret \`${connection.name}\` (host, port, ca.crt) into the namespace${connection.namespaces.length > 1 ? 's' : ''} ${connection.namespaces.map((n) => `\`${n}\``).join(', ')}, together with the namespace itself (ArgoCD adopts it on its first sync), and the NetworkPolicy \`allow-postgres-egress\` that lets the services reach the database's nodes on the port Linode reports. The credentials are not in it: they are in the SealedSecret envc rotates${postgresCredentialsSecret(env) ? ` (\`${postgresCredentialsSecret(env)!.name}\`)` : ' (none declared for this environment: add a `linode-database-credentials` secret)'}.`,
    );
  }
  return out;
}

export function readmeView(
  model: Model,
  env: EnvironmentModel,
  r: ReadmeRoles,
  tf: { cluster: { variables: string; outputs: string }; platform: { variables: string; outputs: string } },
) {
  const q = env.quotas;
  const clusterRows = ['network', 'cluster'];
  if (env.dataServices.postgres) clusterRows.push('data_services');
  const platformRows = ['observability', 'ingress', 'secrets_bootstrap'];
  if (env.dataServices.postgres || env.dataServices.redis) platformRows.push('app_data');
  if (r.argocdHost) platformRows.push('argo_bootstrap');
  const rows = (names: string[]) => names.map((name) => ({ name, what: MODULE_ROWS[name]! }));
  return {
    name: env.name,
    tier: env.tier,
    description: env.description ?? '',
    region: env.region,
    kubernetesVersion: env.kubernetesVersion,
    clusterLabel: env.cluster.label,
    highAvailability: env.cluster.highAvailability,
    protected: env.protected,
    approvals: {
      required: env.approvals.required,
      minApprovals: env.approvals.minApprovals,
      approvers: env.approvals.approvers.map((a) => `\`${a}\``).join(', ') || 'the platform approvers',
      expiresAfter: env.approvals.expiresAfter,
    },
    state: {
      bucket: model.stateBackend.bucket,
      clusterKey: stateKey(model, env.name, 'cluster'),
      platformKey: stateKey(model, env.name, 'platform'),
      endpoint: model.stateBackend.endpoint,
    },
    registration: r.registration ? { environment: r.registration.name } : false,
    clusterRows: rows(clusterRows),
    platformRows: rows(platformRows),
    notes: notes(env),
    quotas: [
      { label: 'services', value: String(q.services) },
      { label: 'pods per service', value: String(q.podsPerService) },
      {
        label: 'per service: requests',
        value: `${q.perService.requests.cpu.text} CPU, ${q.perService.requests.memory.text} memory`,
      },
      {
        label: 'per service: limits',
        value: `${q.perService.limits.cpu.text} CPU, ${q.perService.limits.memory.text} memory`,
      },
      {
        label: 'total: requests',
        value: `${formatCpu(q.total.requests.cpuMillis)} CPU, ${formatMemory(q.total.requests.memoryBytes)} memory`,
      },
      {
        label: 'total: limits',
        value: `${formatCpu(q.total.limits.cpuMillis)} CPU, ${formatMemory(q.total.limits.memoryBytes)} memory`,
      },
      { label: 'total: pods', value: String(q.total.pods) },
    ],
    clusterInputs: variablesOf(tf.cluster.variables),
    clusterOutputs: outputsOf(tf.cluster.outputs),
    platformInputs: variablesOf(tf.platform.variables),
    platformOutputs: outputsOf(tf.platform.outputs),
  };
}
