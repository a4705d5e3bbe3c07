/**
 * One environment: two Terraform roots, terraform/environments/<env>/{cluster,platform}/ (each with
 * versions/providers/locals/main/variables/outputs.tf, terraform.tfvars.json and backend.hcl), phases.json (how
 * the runner chains them, see roots.ts) and README.md. The view-model decides what each root contains; the
 * templates only lay it out.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { EXTERNAL_SECRETS } from '../helm/values.js';
import type { GeneratedFile } from '../types.js';
import { alignedAttributes, hclValue } from './hcl.js';
import { header } from './header.js';
import { formatJson } from './json.js';
import { moduleDir } from './modules.js';
import { phasesOf, stateKey } from './roots.js';
import { readmeView } from './stack-readme.js';
import { clusterSources, platformSources } from './stack-sources.js';
import { template } from './templates.js';
import { clusterTfvars, platformTfvars } from './tfvars-roots.js';
import { PROVIDERS, TERRAFORM_VERSION } from './versions.js';

export interface StackContext {
  /** The environment running ArgoCD (hosts: argocd), if any. */
  argocdHost?: EnvironmentModel;
  /** The environment whose stack creates the state bucket. */
  stateHost?: EnvironmentModel;
}

/** Settings every S3 client of Linode Object Storage needs (the backend and terraform_remote_state). */
export function s3Settings(model: Model, key: string): Array<[string, string]> {
  return [
    ['bucket', hclValue(model.stateBackend.bucket)],
    ['key', hclValue(key)],
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

export function backendHcl(model: Model, name: string, key: string): string {
  const attrs = [...s3Settings(model, key), ['use_lockfile', 'true'] as [string, string]];
  return template('environment/backend.hcl')({
    name,
    attributes: alignedAttributes(attrs, ''),
    endpoint: model.stateBackend.endpoint,
  });
}

interface Roles {
  argocdHost: boolean;
  registration?: EnvironmentModel;
}

function roles(env: EnvironmentModel, ctx: StackContext): Roles {
  const argocdHost = ctx.argocdHost?.name === env.name;
  return { argocdHost, ...(ctx.argocdHost && !argocdHost ? { registration: ctx.argocdHost } : {}) };
}

function mainView(env: EnvironmentModel, r: Roles) {
  const pg = env.dataServices.postgres !== undefined;
  const redis = env.dataServices.redis !== undefined;
  const clusterDs: Array<[string, string]> = [['region', 'var.region']];
  if (pg) clusterDs.push(['postgres', 'var.postgres']);
  if (env.network.vpc)
    clusterDs.push([
      'private_network',
      '{ vpc_id = module.network.vpc_id, subnet_id = module.network.subnet_id }',
    ]);
  const appData: Array<[string, string]> = [];
  if (pg) {
    appData.push(['postgres', 'var.postgres']);
    appData.push([
      'database',
      '{ host_primary = var.cluster.postgres.host, port = var.cluster.postgres.port, ca_cert = var.postgres_ca }',
    ]);
    appData.push([
      'database_members',
      '{ port = var.cluster.postgres.port, addresses = var.cluster.postgres.addresses }',
    ]);
  }
  if (redis) {
    appData.push(['redis', 'var.redis']);
    appData.push(['values_dir', 'local.helm_values_dir']);
  }
  const modules = (prefix: string) => ({
    network: `${prefix}/${moduleDir('network', env.protected)}`,
    cluster: `${prefix}/${moduleDir('lke-cluster', env.protected)}`,
    dataServices: `${prefix}/${moduleDir('data-services', env.protected)}`,
  });
  return {
    name: env.name,
    tier: env.tier,
    // One line: it becomes a `#` comment.
    description: (env.description ?? '').replace(/\s+/g, ' ').trim(),
    protected: env.protected,
    vpc: env.network.vpc !== undefined,
    modules: modules('../../../modules'),
    cluster: { attributes: alignedAttributes(clusterDs, '  ') },
    dataServices: { present: pg || redis, postgres: pg, redis, attributes: alignedAttributes(appData, '  ') },
    alertmanagerSlack: EXTERNAL_SECRETS.alertmanagerSlack,
    argocd: r.argocdHost,
    registration: r.registration ? { environment: r.registration.name } : false,
    namespaceTypes: alignedAttributes(
      ['cert_manager', 'ingress', 'monitoring', 'sealed_secrets', ...(r.argocdHost ? ['argocd'] : [])]
        .sort()
        .map((k) => [k, 'string'] as [string, string]),
      '    ',
    ),
  };
}

function linodeView(env: EnvironmentModel) {
  const attrs: Array<[string, string]> = [];
  const comments: string[] = [];
  if (env.network.vpc) {
    comments.push('api_version v4beta: the cluster is placed in a VPC (vpc_id/subnet_id need the beta API).');
    attrs.push(['api_version', '"v4beta"']);
  }
  return {
    linodeComments: comments,
    linodeAttributes: attrs.length > 0 ? alignedAttributes(attrs, '  ') : '',
  };
}

function versions(names: Array<keyof typeof PROVIDERS>): string {
  return template('environment/versions.tf')({
    terraform: TERRAFORM_VERSION,
    providers: names.map((n) => PROVIDERS[n]),
  });
}

export function renderStack(model: Model, env: EnvironmentModel, ctx: StackContext): GeneratedFile[] {
  const r = roles(env, ctx);
  const dir = `terraform/environments/${env.name}`;
  const view = mainView(env, r);
  const clusterView = {
    ...view,
    dataServices: { ...view.dataServices, attributes: view.cluster.attributes },
  };
  const tf = {
    cluster: {
      versions: versions(['linode']),
      providers: template('environment/cluster/providers.tf')(linodeView(env)),
      locals: template('environment/cluster/locals.tf')({}),
      main: template('environment/cluster/main.tf')(clusterView),
      variables: template('environment/cluster/variables.tf')(clusterView),
      outputs: template('environment/cluster/outputs.tf')(clusterView),
    },
    platform: {
      versions: versions(['linode', 'helm', 'kubernetes']),
      providers: template('environment/platform/providers.tf')(view),
      locals: template('environment/platform/locals.tf')(view),
      main: template('environment/platform/main.tf')(view),
      variables: template('environment/platform/variables.tf')(view),
      outputs: template('environment/platform/outputs.tf')(view),
    },
  };
  const sources = {
    cluster: clusterSources(env),
    platform: platformSources(model, env, r),
  };
  const tfvars = {
    cluster: clusterTfvars(model, env),
    platform: platformTfvars(model, env, r),
  };
  const files: GeneratedFile[] = [];
  for (const phase of ['cluster', 'platform'] as const) {
    for (const [base, text] of Object.entries(tf[phase]))
      files.push({
        path: `${dir}/${phase}/${base}.tf`,
        content: header('#') + text,
        ...(base === 'main' ? { sources: sources[phase] } : {}),
      });
    files.push({
      path: `${dir}/${phase}/terraform.tfvars.json`,
      content: formatJson(tfvars[phase]),
      sources: sources[phase],
    });
    files.push({
      path: `${dir}/${phase}/backend.hcl`,
      content: header('#') + backendHcl(model, `${env.name} (${phase})`, stateKey(model, env.name, phase)),
      sources: [{ resource: 'backend.s3', origin: model.stateBackend.origin }],
    });
  }
  files.push({ path: `${dir}/phases.json`, content: formatJson(phasesOf(model, env, ctx.argocdHost)) });
  files.push({
    path: `${dir}/README.md`,
    content: template('environment/README.md')(readmeView(model, env, r, tf)),
  });
  return files;
}
