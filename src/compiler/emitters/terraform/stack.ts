/**
 * One environment stack: terraform/environments/<env>/{versions,providers,locals,main,variables,outputs}.tf,
 * terraform.tfvars.json, backend.hcl and README.md. The view-model decides what the stack contains; the
 * templates only lay it out.
 */
import type { EnvironmentModel, Model, Origin } from '../../model.js';
import { formatCpu, formatMemory } from '../../quantities.js';
import {
  postgresConnectionSecret,
  postgresCredentialsSecret,
  REDIS_PASSWORD_KEY,
  redisCredentialsSecret,
} from '../handoff/conventions.js';
import { postgresEgressPolicy } from '../kubernetes/service-policies.js';
import type { GeneratedFile, SourceRef } from '../types.js';
import { alignedAttributes, hclValue } from './hcl.js';
import { header } from './header.js';
import { formatJson } from './json.js';
import { moduleDir } from './modules.js';
import { template } from './templates.js';
import { outputsOf, variablesOf } from './tfdoc.js';
import {
  BOT_KEY_HOLDER,
  buildTfvars,
  createdPools,
  dnsRecordKeys,
  type StackRoles,
  zeroPools,
} from './tfvars.js';
import { PROVIDERS, TERRAFORM_VERSION } from './versions.js';

export interface StackContext {
  /** The environment running ArgoCD (hosts: argocd), if any. */
  argocdHost?: EnvironmentModel;
  /** The environment whose stack creates the state bucket. */
  stateHost?: EnvironmentModel;
}

/** `<keyPrefix>/<env>/terraform.tfstate`. */
export function stateKey(model: Model, env: string): string {
  return `${model.stateBackend.keyPrefix}/${env}/terraform.tfstate`;
}

/** Settings every S3 client of Linode Object Storage needs (the backend and terraform_remote_state). */
function s3Settings(model: Model, env: string): Array<[string, string]> {
  return [
    ['bucket', hclValue(model.stateBackend.bucket)],
    ['key', hclValue(stateKey(model, env))],
    // Any string is accepted with skip_region_validation; the cluster id is what Linode's S3 docs use.
    ['region', hclValue(model.stateBackend.cluster)],
    ['skip_credentials_validation', 'true'],
    ['skip_region_validation', 'true'],
    ['skip_requesting_account_id', 'true'],
    ['skip_metadata_api_check', 'true'],
    ['skip_s3_checksum', 'true'],
    ['use_path_style', 'true'],
  ];
}

function backendHcl(model: Model, env: EnvironmentModel): string {
  const attrs = [...s3Settings(model, env.name), ['use_lockfile', 'true'] as [string, string]];
  return template('environment/backend.hcl')({
    name: env.name,
    attributes: alignedAttributes(attrs, ''),
    endpoint: model.stateBackend.endpoint,
  });
}

interface Roles extends StackRoles {
  registration?: EnvironmentModel;
}

function roles(env: EnvironmentModel, ctx: StackContext): Roles {
  const argocdHost = ctx.argocdHost?.name === env.name;
  return {
    argocdHost,
    stateHost: ctx.stateHost?.name === env.name,
    ...(ctx.argocdHost && !argocdHost ? { registration: ctx.argocdHost } : {}),
  };
}

function mainView(model: Model, env: EnvironmentModel, r: Roles) {
  const pg = env.dataServices.postgres !== undefined;
  const redis = env.dataServices.redis !== undefined;
  const dsAttrs: Array<[string, string]> = [['region', 'var.region']];
  if (pg) dsAttrs.push(['postgres', 'var.postgres']);
  if (redis) {
    dsAttrs.push(['redis', 'var.redis']);
    dsAttrs.push(['values_dir', 'local.helm_values_dir']);
  }
  if (env.network.vpc)
    dsAttrs.push([
      'private_network',
      '{ vpc_id = module.network.vpc_id, subnet_id = module.network.subnet_id }',
    ]);
  return {
    name: env.name,
    tier: env.tier,
    // One line: it becomes a `#` comment.
    description: (env.description ?? '').replace(/\s+/g, ' ').trim(),
    protected: env.protected,
    vpc: env.network.vpc !== undefined,
    modules: {
      cluster: `../../modules/${moduleDir('lke-cluster', env.protected)}`,
      dataServices: `../../modules/${moduleDir('data-services', env.protected)}`,
    },
    dataServices: { present: pg || redis, postgres: pg, redis, attributes: alignedAttributes(dsAttrs, '  ') },
    argocd: r.argocdHost,
    stateBackend: r.stateHost ? { botHolder: BOT_KEY_HOLDER } : false,
    registration: r.registration
      ? {
          environment: r.registration.name,
          config: alignedAttributes(s3Settings(model, r.registration.name), '    '),
          endpoint: model.stateBackend.endpoint,
        }
      : false,
    namespaceTypes: alignedAttributes(
      ['cert_manager', 'ingress', 'monitoring', 'sealed_secrets', ...(r.argocdHost ? ['argocd'] : [])]
        .sort()
        .map((k) => [k, 'string'] as [string, string]),
      '    ',
    ),
  };
}

function providersView(env: EnvironmentModel, r: Roles) {
  const attrs: Array<[string, string]> = [];
  const comments: string[] = [];
  if (env.network.vpc) {
    comments.push('api_version v4beta: the cluster is placed in a VPC (vpc_id/subnet_id need the beta API).');
    attrs.push(['api_version', '"v4beta"']);
  }
  if (r.stateHost) {
    comments.push(
      'obj_use_temp_keys: bucket versioning and lifecycle rules go through the S3 API with temporary keys.',
    );
    attrs.push(['obj_use_temp_keys', 'true']);
  }
  return {
    linodeComments: comments,
    linodeAttributes: attrs.length > 0 ? alignedAttributes(attrs, '  ') : '',
    registration: r.registration ? { environment: r.registration.name } : false,
  };
}

const MODULE_ROWS: Record<string, string> = {
  network: 'Cloud Firewall of the nodes, DNS zone and records, VPC where asked',
  cluster: 'LKE cluster, node pools, control plane and its ACL',
  ingress: 'ingress-nginx and cert-manager',
  secrets_bootstrap: 'Sealed Secrets controller; rotation metadata of the secrets',
  observability: 'kube-prometheus-stack, Loki, Tempo, Grafana Alloy',
  data_services: 'managed PostgreSQL and its connection Secret; Redis in the cluster (bitnami/redis)',
  argo_bootstrap:
    'ArgoCD and one root Application per environment (each syncs generated/kubernetes/<env>/argocd.yaml)',
  state_backend: "the state bucket and its scoped keys (the envc bot's own key included)",
};

/** Things a reader of the stack should know that the spec makes true but does not say. */
function notes(env: EnvironmentModel): string[] {
  const out: string[] = [];
  const pg = env.dataServices.postgres;
  if (pg && !env.network.vpc && pg.allowList.length === 0) {
    out.push(
      'PostgreSQL has an empty `allowList` and the cluster is not in a VPC, so the database accepts no connections until addresses are allowed (`dataServices.postgres.allowList`) or the environment gets a VPC (`network.vpc`, then the database is reached on the private network).',
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
      `Terraform writes the PostgreSQL connection Secret \`${connection.name}\` (host, port, ca.crt) into the namespace${connection.namespaces.length > 1 ? 's' : ''} ${connection.namespaces.map((n) => `\`${n}\``).join(', ')}, which ArgoCD creates on its first sync of this environment: on a brand-new environment the first apply stops at that Secret; apply again once ArgoCD has synced. The credentials are not in it: they are in the SealedSecret envc rotates${postgresCredentialsSecret(env) ? ` (\`${postgresCredentialsSecret(env)!.name}\`)` : ' (none declared for this environment: add a `linode-database-credentials` secret)'}.`,
    );
  }
  return out;
}

function readmeView(model: Model, env: EnvironmentModel, r: Roles, variablesTf: string, outputsTf: string) {
  const q = env.quotas;
  const rows = ['network', 'cluster', 'ingress', 'secrets_bootstrap', 'observability'];
  if (env.dataServices.postgres || env.dataServices.redis) rows.push('data_services');
  if (r.argocdHost) rows.push('argo_bootstrap');
  if (r.stateHost) rows.push('state_backend');
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
      key: stateKey(model, env.name),
      endpoint: model.stateBackend.endpoint,
    },
    stateBackend: r.stateHost,
    registration: r.registration ? { environment: r.registration.name } : false,
    moduleRows: rows.map((name) => ({ name, what: MODULE_ROWS[name]! })),
    zeroPools: zeroPools(env),
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
    inputs: variablesOf(variablesTf),
    outputs: outputsOf(outputsTf),
  };
}

/** Source map of the stack: every Terraform address it creates → the spec location that produced it. */
export function stackSources(model: Model, env: EnvironmentModel, r: Roles): SourceRef[] {
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
  if (env.network.vpc) {
    add('module.network.linode_vpc.this[0]', env.network.vpc.origin);
    add('module.network.linode_vpc_subnet.this[0]', env.network.vpc.origin);
  }
  add('module.cluster.linode_lke_cluster.this', env.cluster.origin);
  for (const p of createdPools(env)) add('module.cluster.linode_lke_cluster.this', p.origin);
  if (env.cluster.controlPlaneAcl.origin)
    add('module.cluster.linode_lke_cluster.this', env.cluster.controlPlaneAcl.origin);
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
  for (const p of env.cluster.pools.filter((x) => x.isGpu))
    add('module.observability.helm_release.nvidia_device_plugin[0]', p.origin);
  if (env.dataServices.postgres) {
    add('module.data_services.linode_database_postgresql_v2.this[0]', env.dataServices.postgres.origin);
    for (const ns of postgresConnectionSecret(env)?.namespaces ?? [])
      add(
        `module.data_services.kubernetes_secret_v1.postgres_connection[${JSON.stringify(ns)}]`,
        env.dataServices.postgres.origin,
      );
    for (const ns of Object.keys(postgresEgressPolicy(env)?.services ?? {}))
      add(
        `module.data_services.kubernetes_manifest.postgres_egress[${JSON.stringify(ns)}]`,
        env.dataServices.postgres.origin,
      );
  }
  if (env.dataServices.redis)
    add('module.data_services.helm_release.redis[0]', env.dataServices.redis.origin);
  if (r.argocdHost) {
    add('module.argo_bootstrap.helm_release.argo_cd', env.origin);
    for (const e of model.environments) add('module.argo_bootstrap.helm_release.argocd_apps', e.origin);
  }
  if (r.stateHost) {
    const sb = model.stateBackend.origin;
    add('module.state_backend.linode_object_storage_bucket.state', sb);
    if (model.stateBackend.backupBucket !== model.stateBackend.bucket)
      add('module.state_backend.linode_object_storage_bucket.backup[0]', sb);
    for (const holder of [
      BOT_KEY_HOLDER,
      ...model.stateBackend.writers.filter((w) => w !== BOT_KEY_HOLDER),
    ]) {
      add(`module.state_backend.linode_object_storage_key.state[${JSON.stringify(holder)}]`, sb);
    }
  }
  if (r.registration) {
    add('data.terraform_remote_state.argocd', model.stateBackend.origin);
    add('kubernetes_secret_v1.argocd_cluster', env.cluster.origin);
  }
  return refs;
}

export function renderStack(model: Model, env: EnvironmentModel, ctx: StackContext): GeneratedFile[] {
  const r = roles(env, ctx);
  const dir = `terraform/environments/${env.name}`;
  const main = mainView(model, env, r);
  const hcl = {
    versions: template('environment/versions.tf')({
      terraform: TERRAFORM_VERSION,
      providers: Object.values(PROVIDERS),
    }),
    providers: template('environment/providers.tf')(providersView(env, r)),
    locals: template('environment/locals.tf')({}),
    main: template('environment/main.tf')(main),
    variables: template('environment/variables.tf')(main),
    outputs: template('environment/outputs.tf')(main),
  };
  const sources = stackSources(model, env, r);
  const files: GeneratedFile[] = Object.entries(hcl).map(([base, text]) => ({
    path: `${dir}/${base}.tf`,
    content: header('#') + text,
    ...(base === 'main' ? { sources } : {}),
  }));
  files.push({
    path: `${dir}/terraform.tfvars.json`,
    content: formatJson(buildTfvars(model, env, r)),
    sources,
  });
  files.push({
    path: `${dir}/backend.hcl`,
    content: header('#') + backendHcl(model, env),
    sources: [{ resource: 'backend.s3', origin: model.stateBackend.origin }],
  });
  files.push({
    path: `${dir}/README.md`,
    content: template('environment/README.md')(readmeView(model, env, r, hcl.variables, hcl.outputs)),
  });
  return files;
}
