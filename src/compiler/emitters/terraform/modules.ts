/**
 * The reusable modules under terraform/modules/. They hold no environment data (that comes in through the
 * environment stacks' variables), so each is rendered once. Modules whose resources must be protected from
 * destroy exist in two variants generated from one template — see docs/adr/0002-terraform-layout.md: a
 * `lifecycle` block cannot read a variable, and switching an environment between the variants only changes its
 * module `source`, never a resource address.
 */
import { POSTGRES_CONNECTION_DATA, POSTGRES_CONNECTION_KEYS, REDIS_SECRET } from '../handoff/conventions.js';
import { EXTERNAL_SECRETS } from '../helm/values.js';
import { COMPONENTS, SEALED_SECRETS_CONTROLLER } from '../kubernetes/platform.js';
import type { GeneratedFile } from '../types.js';
import { alignedAttributes, hclString } from './hcl.js';
import { header } from './header.js';
import { template } from './templates.js';
import { outputsOf, resourcesOf, variablesOf } from './tfdoc.js';
import { CHARTS, PROVIDERS, type ProviderPin, TERRAFORM_VERSION } from './versions.js';

export type ModuleName =
  | 'lke-cluster'
  | 'network'
  | 'ingress'
  | 'secrets-bootstrap'
  | 'observability'
  | 'data-services'
  | 'app-data'
  | 'argo-bootstrap'
  | 'state-backend';

interface ModuleDef {
  name: ModuleName;
  summary: string;
  providers: Array<ProviderPin['name']>;
  /** Has a `-protected` variant with prevent_destroy on its stateful resources. */
  protectable: boolean;
  /** Extra non-HCL files rendered from templates/terraform/modules/<name>/<file>.hbs. */
  extraFiles?: string[];
}

export const MODULES: readonly ModuleDef[] = [
  {
    name: 'lke-cluster',
    summary:
      'An LKE cluster: node pools with autoscaler bounds, node labels and taints, the HA control plane and its ACL, audit logs, the nodes behind a Cloud Firewall. Outputs the cluster id and, as sensitive values, the kubeconfig and the credentials the helm and kubernetes providers need. Variable validations refuse a GPU pool without a taint and a production cluster without HA or an ACL.',
    providers: ['linode'],
    protectable: true,
  },
  {
    name: 'network',
    summary:
      "The nodes' Cloud Firewall (LKE's default rules, the spec's inbound and outbound allowlists, egress to the managed database on its real port), the environment's DNS zone and records on Linode DNS Manager, the ingress NodeBalancer with an A and AAAA record for every Ingress host, and a VPC with one subnet when the spec asks for one.",
    providers: ['linode'],
    protectable: true,
  },
  {
    name: 'ingress',
    summary:
      'ingress-nginx (its LoadBalancer Service becomes a NodeBalancer) and cert-manager, with the Helm values envc writes for the environment. Installed by Terraform because the manifests ArgoCD syncs use their CRDs and IngressClass.',
    providers: ['helm'],
    protectable: false,
  },
  {
    name: 'secrets-bootstrap',
    summary:
      'The Sealed Secrets controller and references to its key material (never the keys: they are generated in the cluster and stay there), plus rotation metadata per secret: source, period, grace period, receiving namespaces and where the last rotation is recorded.',
    providers: ['helm'],
    protectable: false,
  },
  {
    name: 'observability',
    summary:
      "kube-prometheus-stack, Loki, Tempo and Grafana Alloy, each configured by the environment's values file under generated/helm/values/<env>/.",
    providers: ['helm'],
    protectable: false,
  },
  {
    name: 'data-services',
    summary:
      'Managed PostgreSQL (linode_database_postgresql_v2) with a maintenance window and an allow list that admits its own cluster. Outputs the host and the port Linode reports, the outbound firewall rule the nodes need to reach it, and — only as sensitive outputs — its CA and administrator credentials. Lives in the cluster stack: no in-cluster resource.',
    providers: ['linode'],
    protectable: true,
  },
  {
    name: 'app-data',
    summary:
      "What the apps' data services need inside the cluster: the PostgreSQL connection Secret (host, port, ca.crt — no credentials) in each consuming namespace, and the in-cluster Redis (a Helm release: standalone, or with Sentinel for more than one replica) whose password Secret envc rotates. Outputs which Kubernetes Secret holds which key; never a credential. Lives in the platform stack.",
    providers: ['helm', 'kubernetes'],
    protectable: false,
  },
  {
    name: 'argo-bootstrap',
    summary:
      "ArgoCD and its root Applications (argocd-apps chart), one per environment: each syncs generated/kubernetes/<env>/argocd.yaml from the platform repository — that environment's AppProject and ApplicationSet, which deploy the rest of generated/kubernetes/<env>. Other environments register their clusters by writing a cluster Secret into its namespace.",
    providers: ['helm'],
    protectable: false,
  },
  {
    name: 'state-backend',
    summary:
      "The versioned Object Storage bucket holding every environment's Terraform state, a scoped access key per holder (the envc runner and bot, and each writer team), and the bucket policy document (`state-policy.json`, rendered with templatefile) that forbids deleting the bucket, erasing state history and plain-HTTP access.",
    providers: ['linode'],
    protectable: false,
    extraFiles: ['state-policy.json'],
  },
];

function chartView() {
  const out: Record<string, { release: string; repository: string; chart: string; version: string }> = {};
  for (const [key, c] of Object.entries(CHARTS)) out[key.replaceAll('-', '_')] = c;
  return out;
}

/** Directory name of a module variant. */
export function moduleDir(name: ModuleName, isProtected: boolean): string {
  return isProtected ? `${name}-protected` : name;
}

/** Renders one module variant: main/variables/outputs/versions.tf, README.md and any extra files. */
export function renderModule(def: ModuleDef, isProtected: boolean): GeneratedFile[] {
  const dir = `terraform/modules/${moduleDir(def.name, isProtected)}`;
  const view = {
    protected: isProtected,
    charts: chartView(),
    // The controller's Service name and port come from the one table the Helm values use as well.
    alertmanagerSlack: EXTERNAL_SECRETS.alertmanagerSlack,
    sealedSecrets: {
      controller: SEALED_SECRETS_CONTROLLER,
      port: COMPONENTS.sealedSecrets.ports[0].port,
    },
    redis: { secret: REDIS_SECRET },
    // The connection Secret's keys and the database attribute each is filled from (handoff conventions).
    postgresConnection: {
      keys: POSTGRES_CONNECTION_KEYS,
      data: alignedAttributes(
        Object.entries(POSTGRES_CONNECTION_DATA).map(
          ([key, attr]) => [hclString(key), `var.database.${attr}`] as const,
        ),
        '    ',
      ),
    },
  };
  const providers = def.providers.map((p) => PROVIDERS[p]);
  const tf = {
    main: template(`modules/${def.name}/main.tf`)(view),
    variables: template(`modules/${def.name}/variables.tf`)(view),
    outputs: template(`modules/${def.name}/outputs.tf`)(view),
    versions: template('modules/versions.tf')({ terraform: TERRAFORM_VERSION, providers }),
  };
  const files: GeneratedFile[] = [];
  for (const [base, text] of Object.entries(tf))
    files.push({ path: `${dir}/${base}.tf`, content: header('#') + text });
  for (const extra of def.extraFiles ?? []) {
    // JSON documents cannot carry a comment header; manifest.json records that envc owns them.
    files.push({ path: `${dir}/${extra}`, content: template(`modules/${def.name}/${extra}`)(view) });
  }
  const readme = template('modules/README.md')({
    name: moduleDir(def.name, isProtected),
    summary: def.summary,
    variantNote: def.protectable
      ? isProtected
        ? `Protected variant of \`${def.name}\`: identical, plus \`lifecycle { prevent_destroy = true }\` on its stateful resources. Used by protected environments (production by default).`
        : `Unprotected variant; protected environments use \`${def.name}-protected\`, which adds \`prevent_destroy\`.`
      : '',
    providers,
    resources: resourcesOf(tf.main),
    inputs: variablesOf(tf.variables),
    outputs: outputsOf(tf.outputs),
  });
  files.push({ path: `${dir}/README.md`, content: readme });
  return files;
}

/** All module files: every module, plus the protected variants when some environment is protected. */
export function renderModules(anyProtected: boolean): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const def of MODULES) {
    files.push(...renderModule(def, false));
    if (def.protectable && anyProtected) files.push(...renderModule(def, true));
  }
  return files;
}
