import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReadiness, type Probes, readCliConfig, readStackNeeds, stackNeeds } from './preflight.js';

const GENERATED = resolve(import.meta.dirname, '../../generated/terraform/environments/development');

describe('stackNeeds', () => {
  it('reads providers, the s3 backend and its endpoint from a generated stack', () => {
    // Both roots of the environment (cluster, platform): what either needs is needed.
    const tf = ['cluster', 'platform'].flatMap((root) =>
      readdirSync(join(GENERATED, root))
        .filter((f) => f.endsWith('.tf'))
        .map((f) => readFileSync(join(GENERATED, root, f), 'utf8')),
    );
    const n = stackNeeds(tf, readFileSync(join(GENERATED, 'cluster', 'backend.hcl'), 'utf8'));
    expect(n.providers).toEqual([
      'registry.terraform.io/hashicorp/helm',
      'registry.terraform.io/hashicorp/kubernetes',
      'registry.terraform.io/linode/linode',
    ]);
    expect(n.backend).toEqual({
      type: 's3',
      endpoint: 'https://us-ord-1.linodeobjects.com',
      bucket: 'acme-tfstate',
    });
    expect(n.minTerraform).toMatch(/^1\.\d+/);
  });

  it('ignores built-in providers and module sources; keeps an explicit host', () => {
    const n = stackNeeds([
      `terraform {
  required_version = ">= 1.5.0"
  required_providers {
    tf = { source = "terraform.io/builtin/terraform" }
    x  = { source = "mirror.example.com/acme/x" }
  }
  backend "local" {}
}
module "m" { source = "acme/thing/aws" }`,
    ]);
    expect(n).toEqual({
      providers: ['mirror.example.com/acme/x'],
      minTerraform: '1.5.0',
      backend: { type: 'local' },
    });
  });
});

describe('readCliConfig', () => {
  it('finds the plugin cache and provider_installation mirrors', () => {
    const dir = resolve(import.meta.dirname, '../../test/fixtures/terraform-cli');
    const c = readCliConfig({ TF_CLI_CONFIG_FILE: join(dir, 'mirrors.tfrc') });
    expect(c).toEqual({
      pluginCacheDir: '/var/cache/terraform-plugins',
      filesystemMirrors: ['/opt/terraform/providers'],
      networkMirrors: ['https://terraform-mirror.example.com/providers/'],
    });
  });

  it('a missing file configures nothing', () => {
    expect(readCliConfig({ TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc' })).toEqual({
      filesystemMirrors: [],
      networkMirrors: [],
    });
  });
});

describe('operator inputs', () => {
  const probes = (env: NodeJS.ProcessEnv): Probes => ({
    env,
    exists: () => true,
    reachable: async () => true,
    terraformVersion: async () => '1.11.4',
    cliConfig: { filesystemMirrors: [], networkMirrors: [] },
  });

  it("a sensitive variable without default that no tfvars or phase input supplies is the operator's", () => {
    const n = readStackNeeds([GENERATED]);
    // postgres_ca is sensitive too, but the runner passes it from the cluster root (phases.json).
    expect(n.operatorInputs?.map((i) => i.name)).toEqual(['alertmanager_slack_webhook_url']);
  });

  it('preflight names the missing TF_VAR_ and how to supply it; set, it is no problem', async () => {
    const needs = readStackNeeds([GENERATED]);
    const env = { LINODE_TOKEN: 't', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' };
    const missing = await checkReadiness(needs, [GENERATED], probes(env));
    expect(missing.map((p) => p.what)).toEqual([
      expect.stringMatching(/^TF_VAR_alertmanager_slack_webhook_url is not set: Slack incoming-webhook URL/),
    ]);
    expect(missing[0]!.next).toMatch(/^export TF_VAR_alertmanager_slack_webhook_url=/);
    const ok = await checkReadiness(
      needs,
      [GENERATED],
      probes({ ...env, TF_VAR_alertmanager_slack_webhook_url: 'https://hooks.slack.com/services/x' }),
    );
    expect(ok).toEqual([]);
  });
});
