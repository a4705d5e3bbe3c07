import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../../test/support/model.js';
import type { Model } from '../../model.js';
import type { GeneratedFile } from '../types.js';
import { argocdHostOf, stateHostOf, terraformEmitter } from './index.js';
import { template } from './templates.js';

let model: Model;
beforeAll(async () => {
  model = await defaultModel();
});

async function emit(m: Model) {
  return terraformEmitter.emit(m, { envcVersion: 'test' });
}
const file = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)?.content ?? '';

describe('terraform emitter', () => {
  it('puts ArgoCD in the system platform root, the state bucket in its own bootstrap root, and registers the others', async () => {
    expect(argocdHostOf(model)?.name).toBe('system');
    const { files } = await emit(model);
    const system = file(files, 'terraform/environments/system/platform/main.tf');
    expect(system).toContain('module "argo_bootstrap" {');
    expect(file(files, 'terraform/bootstrap/main.tf')).toContain('module "state_bootstrap" {');
    expect(file(files, 'terraform/bootstrap/main.tf')).toContain('module "state_production" {');
    expect(file(files, 'terraform/bootstrap/outputs.tf')).toContain('output "bootstrap_state_credentials" {');
    // No root reads another's state any more (issue 12 item 4): inputs come from the runner.
    for (const f of files) expect(f.content, f.path).not.toContain('terraform_remote_state');
    for (const env of ['development', 'staging', 'production']) {
      const main = file(files, `terraform/environments/${env}/platform/main.tf`);
      expect(main).not.toContain('module "argo_bootstrap"');
      expect(main).toContain('resource "kubernetes_secret_v1" "argocd_cluster" {');
      expect(file(files, `terraform/environments/${env}/platform/providers.tf`)).toContain(
        'alias                  = "argocd"',
      );
      const phases = JSON.parse(file(files, `terraform/environments/${env}/phases.json`));
      // The ArgoCD host's cluster by its label in the Linode API: no state of system is read.
      expect(phases.phases[1].inputs.argocd_cluster).toEqual({
        environment: 'system',
        phase: 'cluster',
        lkeCluster: 'acme-system',
      });
    }
  });

  it('configures no kubernetes or helm provider in a root that creates the cluster (finding 13)', async () => {
    const { files } = await emit(model);
    for (const env of model.environments) {
      const cluster = files.filter((f) => f.path.startsWith(`terraform/environments/${env.name}/cluster/`));
      expect(cluster.map((f) => f.content).join('\n')).not.toMatch(
        /provider "(kubernetes|helm)"|helm_release/,
      );
      const platform = file(files, `terraform/environments/${env.name}/platform/providers.tf`);
      expect(platform).toContain('data "linode_lke_cluster" "this" {');
      expect(file(files, `terraform/environments/${env.name}/platform/main.tf`)).not.toContain(
        'linode_lke_cluster',
      );
    }
  });

  it('registers nothing when no environment runs ArgoCD', async () => {
    const m = structuredClone(model);
    for (const e of m.environments) e.hosts = [];
    const { files } = await emit(m);
    for (const e of m.environments)
      expect(file(files, `terraform/environments/${e.name}/platform/main.tf`)).not.toMatch(
        /argo_bootstrap|argocd_cluster/,
      );
    // The state bucket still has a home: the system tier.
    expect(stateHostOf(m)?.name).toBe('system');
  });

  it('emits the prevent_destroy variants only when an environment is protected, and uses them there', async () => {
    const { files } = await emit(model);
    expect(file(files, 'terraform/modules/lke-cluster-protected/main.tf')).toContain(
      'prevent_destroy = true',
    );
    expect(file(files, 'terraform/modules/data-services-protected/main.tf')).toContain(
      'prevent_destroy = true',
    );
    expect(file(files, 'terraform/modules/lke-cluster/main.tf')).not.toContain('prevent_destroy');
    expect(file(files, 'terraform/environments/production/cluster/main.tf')).toContain(
      'source = "../../../modules/lke-cluster-protected"',
    );
    // Finding 15: production's DNS zone and firewall are protected too.
    expect(file(files, 'terraform/environments/production/cluster/main.tf')).toContain(
      'source = "../../../modules/network-protected"',
    );
    expect(
      file(files, 'terraform/modules/network-protected/main.tf').match(/prevent_destroy = true/g),
    ).toHaveLength(2);
    expect(file(files, 'terraform/environments/staging/cluster/main.tf')).toContain(
      'source = "../../../modules/lke-cluster"',
    );
    // The two variants differ only by the lifecycle block.
    const strip = (s: string) =>
      s.replace(
        /\n\n {2}# Protected variant[\s\S]*?lifecycle \{\n {4}prevent_destroy = true\n {2}\}\n/,
        '\n',
      );
    expect(strip(file(files, 'terraform/modules/lke-cluster-protected/main.tf'))).toBe(
      file(files, 'terraform/modules/lke-cluster/main.tf'),
    );
    const m = structuredClone(model);
    for (const e of m.environments) e.protected = false;
    const unprotected = (await emit(m)).files.map((f) => f.path);
    expect(unprotected.some((p) => p.includes('-protected/'))).toBe(false);
  });

  it('puts a cluster in a VPC with the beta API, and its database on the private network', async () => {
    const m = structuredClone(model);
    const staging = m.environments.find((e) => e.name === 'staging')!;
    staging.network.vpc = { subnet: '10.0.4.0/24', origin: staging.origin };
    const { files } = await emit(m);
    expect(file(files, 'terraform/environments/staging/cluster/providers.tf')).toMatch(
      /provider "linode" \{\n {2}# api_version v4beta[^\n]*\n {2}api_version = "v4beta"\n\}/,
    );
    const main = file(files, 'terraform/environments/staging/cluster/main.tf');
    expect(main).toContain('vpc_id             = module.network.vpc_id');
    expect(main).toContain(
      'private_network = { vpc_id = module.network.vpc_id, subnet_id = module.network.subnet_id }',
    );
    expect(
      JSON.parse(file(files, 'terraform/environments/staging/cluster/terraform.tfvars.json')).vpc,
    ).toEqual({
      label: 'acme-staging',
      subnet_label: 'acme-staging-nodes',
      subnet: '10.0.4.0/24',
    });
    expect(file(files, 'terraform/environments/development/cluster/providers.tf')).toContain(
      'provider "linode" {}',
    );
  });

  it('writes a one-line comment for a multi-line description', async () => {
    const m = structuredClone(model);
    m.environments[0]!.description = 'first line\nsecond line';
    const main = file((await emit(m)).files, 'terraform/environments/development/cluster/main.tf');
    expect(main).toContain('# Environment "development" (tier non-production): first line second line\n');
  });

  it('refuses an environment whose pools are all scaled to zero, at the spec line, and writes nothing', async () => {
    const m = structuredClone(model);
    const dev = m.environments.find((e) => e.name === 'development')!;
    for (const p of dev.cluster.pools) p.count = 0;
    const r = await emit(m);
    expect(r.files).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code !== 'ENVC3204')).toEqual([
      expect.objectContaining({
        code: 'ENVC3201',
        severity: 'error',
        path: 'environments.development.cluster',
        line: dev.cluster.origin.line,
      }),
    ]);
  });

  it('refuses a firewall label Linode would reject (over 32 characters)', async () => {
    const m = structuredClone(model);
    m.environments[1]!.network.firewall.label = 'a-platform-with-a-long-name-staging-nodes';
    const r = await emit(m);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ENVC3202']);
    expect(r.diagnostics[0]!.message).toContain('41 characters');
  });

  it('reads its templates from the package (and says which one is missing)', () => {
    expect(template('modules/versions.tf')({ terraform: '>= 1', providers: [] })).toContain(
      'required_version = ">= 1"',
    );
    expect(() => template('modules/nope.tf')).toThrow(/templates\/terraform\/modules\/nope\.tf\.hbs/);
  });

  it('fails loudly, not silently, when a template reads a field the view does not have', () => {
    expect(() => template('environment/backend.hcl')({ name: 'x' })).toThrow(/attributes/);
  });
});
