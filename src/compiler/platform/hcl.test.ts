import { describe, expect, it } from 'vitest';
import { literal, parseHcl, references } from './hcl.js';

describe('parseHcl', () => {
  it('reads blocks, labels, attributes and nested blocks; braces inside strings do not open blocks', () => {
    const [mod, res] = parseHcl(`# comment {
module "ingress" {
  source = "../../modules/ingress"
  values = "\${local.dir}/x.yaml"
  depends_on = [module.observability]
}

resource "helm_release" "loki" {
  name = "loki"
  set {
    name  = "a"
    value = "{not a block}"
  }
  values = [yamlencode({
    a = 1
  })]
  depends_on = [helm_release.kube_prometheus_stack]
}
`);
    expect(mod).toMatchObject({ type: 'module', labels: ['ingress'] });
    expect(mod!.attrs.source).toBe('"../../modules/ingress"');
    expect(mod!.attrs.depends_on).toBe('[module.observability]');
    expect(res).toMatchObject({ type: 'resource', labels: ['helm_release', 'loki'] });
    expect(res!.blocks).toHaveLength(1);
    expect(res!.blocks[0]!.attrs.value).toBe('"{not a block}"');
    expect(res!.attrs.values).toContain('a = 1');
    expect(literal(res!.attrs.name)).toBe('loki');
  });

  it('reads one-line blocks and skips heredocs', () => {
    const blocks = parseHcl(`terraform {
  backend "s3" {}
}
resource "x_y" "z" {
  text = <<EOT
resource "fake" "one" {
EOT
}
`);
    expect(blocks.map((b) => b.type)).toEqual(['terraform', 'resource']);
    expect(blocks[0]!.blocks[0]).toMatchObject({ type: 'backend', labels: ['s3'] });
  });

  it('finds module, resource and data references', () => {
    expect(
      references(
        'host = module.cluster.api_server_url, d = data.linode_lke_cluster.this.id, h = helm_release.x.id, v = var.a',
      ),
    ).toEqual(['module.cluster', 'data.linode_lke_cluster.this', 'helm_release.x']);
  });
});
