// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform templates, not JavaScript ones
/**
 * The NetworkPolicies Terraform writes at apply time (docs/adr/0019) take their addresses from values the
 * cluster root publishes: the API server's (from `linode_lke_cluster.api_endpoints`) and the database members'
 * (from `linode_database_postgresql_v2.members`). Real terraform evaluates the generated expressions here on
 * the shapes Linode's API documents for those fields. An egress rule with an empty `to` matches every
 * destination, so an empty address list must stop the apply rather than open the ports to the internet.
 *
 * The generated blocks are read with the Terraform tests' HCL parser and handed to terraform again in its JSON
 * syntax (expressions stay `${…}` templates), so what runs is exactly what was generated.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../src/compiler/pipeline.js';
import { defaultSpecText, TEST_TODAY } from '../support/model.js';
import { parseHcl } from '../support/tf-schema-check.js';
import { terraform, terraformSkipReason } from './terraform-support.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is arbitrary JSON.
type Hcl = Record<string, any>;

const work = mkdtempSync(join(tmpdir(), 'envc-apply-policies-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files: Map<string, string>;
beforeAll(async () => {
  const r = await compileText(defaultSpecText(), 'environments.yaml', { today: TEST_TODAY });
  files = new Map(r.files.map((f) => [f.path, f.content]));
});
/** A generated .tf file, parsed (blocks as arrays, expressions as `${…}` strings). */
const parsed = async (suffix: string): Promise<Hcl> => {
  const hit = [...files].find(([p]) => p.endsWith(suffix));
  if (!hit) throw new Error(`no generated file ending ${suffix}`);
  return parseHcl(hit[0], hit[1]);
};

/** Applies a root of variables and outputs only (no provider, offline; JSON syntax) and returns its outputs. */
function applyRoot(name: string, root: Hcl, vars: Record<string, unknown>) {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(root, null, 2));
  writeFileSync(join(dir, 'inputs.tfvars.json'), JSON.stringify(vars));
  const init = terraform(['init', '-input=false', '-no-color'], dir);
  expect(init.status, init.stderr).toBe(0);
  const apply = terraform(
    ['apply', '-auto-approve', '-input=false', '-no-color', '-var-file=inputs.tfvars.json'],
    dir,
  );
  if (apply.status !== 0) return { ok: false as const, stderr: apply.stderr };
  const out = terraform(['output', '-json', '-no-color'], dir);
  const parsed = JSON.parse(out.stdout) as Record<string, { value: unknown }>;
  return {
    ok: true as const,
    outputs: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value])),
  };
}

describe.skipIf(terraformSkipReason)('apply-time NetworkPolicies (real terraform)', () => {
  it("the API server's addresses: the IP-form endpoints Linode lists, each once, never a hostname", async () => {
    const value: string = (await parsed('modules/lke-cluster/outputs.tf')).output.api_addresses[0].value;
    const policy = (await parsed('environments/production/platform/main.tf')).resource.kubernetes_manifest
      .allow_kube_apiserver[0].manifest;
    const [rule] = policy.spec.egress;
    const root = {
      variable: { api_endpoints: { type: 'list(string)' } },
      locals: {
        api_addresses: value.replaceAll('linode_lke_cluster.this.api_endpoints', 'var.api_endpoints'),
        cluster: '${{ api_addresses = local.api_addresses }}',
      },
      output: {
        api_addresses: { value: '${local.api_addresses}' },
        to: { value: String(rule.to).replaceAll('var.cluster', 'local.cluster') },
      },
    };
    // GET /lke/clusters/{id}/api-endpoints lists the endpoint by name and by address, on 443 and 6443.
    const r = applyRoot('endpoints', root, {
      api_endpoints: [
        'https://8a7dd8ae-4e2a-4f2e-b1a0-6b7f3b0b0f0a.us-ord-1.linodelke.net:443',
        'https://8a7dd8ae-4e2a-4f2e-b1a0-6b7f3b0b0f0a.us-ord-1.linodelke.net:6443',
        'https://192.0.2.10:443',
        'https://192.0.2.10:6443',
        'https://[2001:db8::10]:443',
      ],
    });
    expect(r.ok, r.ok ? '' : r.stderr).toBe(true);
    if (!r.ok) return;
    expect(r.outputs.api_addresses).toEqual(['192.0.2.10']);
    expect(r.outputs.to).toEqual([{ ipBlock: { cidr: '192.0.2.10/32' } }]);
    // The policy admits only the API server's ports.
    expect(rule.ports).toEqual([
      { protocol: 'TCP', port: 443 },
      { protocol: 'TCP', port: 6443 },
    ]);
  });

  it('an empty address list stops the apply (an empty `to` would admit every destination)', async () => {
    const cluster: Hcl = (await parsed('environments/production/platform/variables.tf')).variable.cluster[0];
    // In JSON syntax a variable's type is the bare type expression.
    const type = String(cluster.type).replace(/^\$\{([\s\S]*)\}$/, '$1');
    const root = {
      variable: { cluster: { ...cluster, type } },
      output: { ok: { value: '${var.cluster.cluster_id}' } },
    };
    const published = {
      cluster_id: 1,
      api_server_url: 'https://192.0.2.10:443',
      api_addresses: ['192.0.2.10'],
      ingress_nodebalancer_id: 2,
      postgres: { host: 'db.example', port: 12345, addresses: ['192.0.2.21'] },
    };
    const good = applyRoot('published', root, { cluster: published });
    expect(good.ok, good.ok ? '' : good.stderr).toBe(true);
    const withoutPostgres = applyRoot('no-postgres', root, {
      cluster: { ...published, postgres: null },
    });
    expect(withoutPostgres.ok, withoutPostgres.ok ? '' : withoutPostgres.stderr).toBe(true);

    const noApi = applyRoot('no-api', root, { cluster: { ...published, api_addresses: [] } });
    expect(noApi.ok).toBe(false);
    if (!noApi.ok) expect(noApi.stderr.replace(/\s+/g, ' ')).toContain('reported no API endpoint');
    const noMembers = applyRoot('no-members', root, {
      cluster: { ...published, postgres: { ...published.postgres, addresses: [] } },
    });
    expect(noMembers.ok).toBe(false);
    if (!noMembers.ok)
      expect(noMembers.stderr.replace(/\s+/g, ' ')).toContain('reported no member addresses');
  });
});
