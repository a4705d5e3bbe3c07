/**
 * The schema checker must catch what `terraform validate` would: each case is a small piece of HCL with one
 * mistake and the exact problem it must produce (and a correct counterpart that produces none).
 */
import { describe, expect, it } from 'vitest';
import { checkTerraform, rawForms } from './tf-schema-check.js';

async function problems(
  hcl: string,
  extra: Array<{ path: string; content: string }> = [],
): Promise<string[]> {
  const r = await checkTerraform([{ path: 'stack/main.tf', content: hcl }, ...extra]);
  return r.problems.map((p) => `${p.address} ${p.path}: ${p.message}`);
}

const FIREWALL = (body: string) =>
  `resource "linode_firewall" "f" {\n  label           = "abc"\n  inbound_policy  = "DROP"\n  outbound_policy = "DROP"\n${body}}\n`;
const CLUSTER = (body: string) =>
  `resource "linode_lke_cluster" "c" {\n  label       = "a"\n  region      = "us-ord"\n  k8s_version = "1.33"\n${body}}\n`;

describe('tf-schema-check', () => {
  it('accepts correct HCL: blocks, dynamic blocks, nested attributes, meta-arguments', async () => {
    expect(
      await problems(
        `${CLUSTER('  count = 1\n  pool {\n    type  = "g6-standard-1"\n    count = 1\n  }\n  dynamic "pool" {\n    for_each = var.pools\n    content {\n      type = pool.value.type\n      dynamic "autoscaler" {\n        for_each = []\n        content {\n          min = 1\n          max = 2\n        }\n      }\n    }\n  }\n  lifecycle {\n    prevent_destroy = true\n  }\n')}` +
          `provider "helm" {\n  kubernetes = {\n    host = "x"\n  }\n}\n` +
          `resource "helm_release" "r" {\n  name  = "a"\n  chart = "b"\n  set = [{ name = "x", value = "y" }]\n}\n`,
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'the helm v2 provider syntax',
      `provider "helm" {\n  kubernetes {\n    host = "x"\n  }\n}\n`,
      'provider.helm kubernetes: is an attribute; write `kubernetes = ...`, not a `kubernetes { }` block',
    ],
    [
      'a computed-only attribute',
      CLUSTER('  kubeconfig = "x"\n  pool {\n    type  = "g6-standard-1"\n    count = 1\n  }\n'),
      'resource.linode_lke_cluster.c kubeconfig: is computed-only and must not be set',
    ],
    [
      'an unknown argument',
      FIREWALL('  colour = "red"\n'),
      'resource.linode_firewall.f colour: unknown argument "colour"',
    ],
    [
      'a value outside the enum',
      FIREWALL('').replace('inbound_policy  = "DROP"', 'inbound_policy  = "REJECT"'),
      'resource.linode_firewall.f inbound_policy: value "REJECT" is not one of "ACCEPT", "DROP"',
    ],
    [
      'a missing required attribute',
      'resource "linode_firewall" "f" {\n  label = "abc"\n}\n',
      'resource.linode_firewall.f inbound_policy: is required',
    ],
    [
      'too many blocks',
      CLUSTER(
        '  control_plane {\n  }\n  control_plane {\n  }\n  pool {\n    type  = "g6-standard-1"\n    count = 1\n  }\n',
      ),
      'resource.linode_lke_cluster.c control_plane: has 2 blocks; at most 1 allowed',
    ],
    [
      'a dynamic block of an unknown type',
      FIREWALL('  dynamic "ingress" {\n    for_each = []\n    content {\n    }\n  }\n'),
      'resource.linode_firewall.f dynamic.ingress: dynamic block of unknown block type "ingress"',
    ],
    [
      'an unknown argument inside dynamic content',
      FIREWALL(
        '  dynamic "inbound" {\n    for_each = []\n    content {\n      label    = "abc"\n      action   = "ACCEPT"\n      protocol = "TCP"\n      port     = "1"\n    }\n  }\n',
      ),
      'resource.linode_firewall.f dynamic.inbound.content.port: unknown argument "port"',
    ],
    [
      'a pool with neither count nor autoscaler',
      CLUSTER('  pool {\n    type = "g6-standard-1"\n  }\n'),
      'resource.linode_lke_cluster.c pool[0]: a pool without an autoscaler block must set count',
    ],
    [
      'helm_release v2 `set` blocks',
      'resource "helm_release" "r" {\n  name  = "a"\n  chart = "b"\n  set {\n    name  = "x"\n    value = "y"\n  }\n}\n',
      'resource.helm_release.r set: is an attribute; write `set = ...`, not a `set { }` block',
    ],
    [
      'a block written as an attribute',
      CLUSTER('  pool = [{ type = "g6-standard-1", count = 1 }]\n'),
      'resource.linode_lke_cluster.c pool: is a block; write `pool { ... }`, not `pool = ...`',
    ],
    [
      'both of an exactly-one-of pair',
      'resource "linode_object_storage_bucket" "b" {\n  label   = "a"\n  region  = "us-ord"\n  cluster = "us-ord-1"\n}\n',
      'only one of region, cluster may be set (found region, cluster)',
    ],
    [
      'a string that is too short',
      FIREWALL('').replace('label           = "abc"', 'label           = "ab"'),
      'resource.linode_firewall.f label: is shorter than 3 characters',
    ],
    [
      'a missing required block',
      'resource "kubernetes_namespace_v1" "n" {\n}\n',
      'resource.kubernetes_namespace_v1.n metadata: block is required',
    ],
    [
      'a resource type the reference does not know',
      'resource "linode_token" "t" {\n}\n',
      'resource.linode_token.t : resource type "linode_token" is not in the reference schemas',
    ],
  ])('catches %s', async (_name, hcl, expected) => {
    const found = await problems(hcl);
    expect(
      found.some((p) => p.startsWith(expected) || p.includes(expected)),
      `${found.join('\n')}\nexpected: ${expected}`,
    ).toBe(true);
  });

  it('merges backend.hcl into the backend block and checks the result', async () => {
    const versions = 'terraform {\n  backend "s3" {}\n}\n';
    expect(await problems(versions)).toEqual([
      'backend.s3 bucket: is required',
      'backend.s3 key: is required',
    ]);
    const good = 'bucket = "b"\nkey    = "k"\nendpoints = {\n  s3 = "https://x"\n}\n';
    expect(await problems(versions, [{ path: 'stack/backend.hcl', content: good }])).toEqual([]);
    const bad =
      'bucket = "b"\nkey    = "k"\nuse_path_style = true\nforce_path_style = true\nendpoint = "https://x"\nendpoints = {\n  s3 = "https://x"\n}\n';
    expect(await problems(versions, [{ path: 'stack/backend.hcl', content: bad }])).toEqual([
      'backend.s3 : force_path_style and use_path_style conflict',
      'backend.s3 : endpoint and endpoints.s3 conflict',
    ]);
  });

  it('rejects `endpoints { }` as a block in a backend', async () => {
    const found = await problems(
      'terraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "k"\n    endpoints {\n      s3 = "x"\n    }\n  }\n}\n',
    );
    expect(found).toEqual([
      'backend.s3 endpoints: is a nested attribute (write `endpoints = { ... }`), got a list or a block',
    ]);
  });

  it('checks a terraform_remote_state config as a backend configuration', async () => {
    const found = await problems(
      'data "terraform_remote_state" "x" {\n  backend = "s3"\n  config = {\n    bucket = "b"\n    key    = "k"\n    endpoint_url = "x"\n  }\n}\n',
    );
    expect(found).toEqual([
      expect.stringContaining(
        'data.terraform_remote_state.x.config endpoint_url: unknown attribute "endpoint_url"',
      ),
    ]);
  });
});

describe('rawForms', () => {
  it('tells blocks from attributes per body, ignoring braces inside strings and interpolations', () => {
    const forms = rawForms(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform syntax as test data, not a JS template
      'resource "a" "b" {\n  x = "}{ ${ {a = 1} } "\n  y {\n    z = [\n      1,\n    ]\n  }\n  dynamic "w" {\n    for_each = []\n    content {\n      v = 1\n    }\n  }\n}\n',
    );
    const at = (p: string) =>
      Object.fromEntries([...(forms.get(p) ?? new Map())].map(([k, v]) => [k, [...v]]));
    expect(at('resource/a/b')).toEqual({ x: ['attr'], y: ['block'], dynamic: ['block'] });
    expect(at('resource/a/b/y')).toEqual({ z: ['attr'] });
    expect(at('resource/a/b/dynamic:w/content')).toEqual({ v: ['attr'] });
  });
});
