import { describe, expect, it } from 'vitest';
import { parseAddress, standInStacks } from './stacks.js';
import { realAddress } from './start.js';

describe('demo stand-in stacks', () => {
  it('parses resource addresses and skips data sources', () => {
    expect(parseAddress('module.network.linode_domain_record.this["apex-caa"]')).toEqual({
      module: 'network',
      type: 'linode_domain_record',
      name: 'this',
      key: '"apex-caa"',
    });
    expect(parseAddress('kubernetes_secret_v1.argocd_cluster')).toEqual({
      type: 'kubernetes_secret_v1',
      name: 'argocd_cluster',
    });
    expect(parseAddress('data.terraform_remote_state.argocd')).toBeUndefined();
  });

  it('keeps modules and names, with for_each/count keys, a masked secret and the real address', () => {
    const files = standInStacks(
      {
        files: {
          // Two roots (docs/adr/0009): one stand-in root holds both roots' resources.
          'terraform/environments/production/cluster/main.tf': {
            sources: [
              { resource: 'module.network.linode_domain_record.this["apex-caa"]' },
              { resource: 'module.network.linode_domain_record.this["apex-txt"]' },
              { resource: 'module.data_services.linode_database_postgresql_v2.this[0]' },
            ],
          },
          'terraform/environments/production/platform/main.tf': {
            sources: [
              { resource: 'module.data_services.kubernetes_secret_v1.postgres_connection["team-a"]' },
              { resource: 'kubernetes_secret_v1.argocd_cluster' },
              { resource: 'data.terraform_remote_state.argocd' },
            ],
          },
          'terraform/environments/production/cluster/outputs.tf': {
            sources: [{ resource: 'module.ignored.linode_instance.this' }],
          },
          'kubernetes/production/namespaces.yaml': { sources: [{ resource: 'namespace/team-a' }] },
        },
      },
      { production: '{"environment":"production"}' },
      { scale: { production: 3 } },
    );
    expect(files.map((f) => f.path).sort()).toEqual([
      'production/backend.hcl',
      'production/main.tf',
      'production/modules/data_services/main.tf',
      'production/modules/network/main.tf',
      'production/settings.json',
    ]);
    const network = files.find((f) => f.path === 'production/modules/network/main.tf')!.content;
    expect(network).toContain('resource "terraform_data" "linode_domain_record__this"');
    expect(network).toContain('for_each = toset(["apex-caa", "apex-txt"])');
    expect(network).toContain('stands_in_for = "module.network.linode_domain_record.this"');
    const data = files.find((f) => f.path === 'production/modules/data_services/main.tf')!.content;
    expect(data).toContain('count = 1');
    expect(data).toMatch(/kubernetes_secret_v1__postgres_connection" \{[^}]*secret\s+= var\.demo_secret/);
    const root = files.find((f) => f.path === 'production/main.tf')!.content;
    expect(root).toContain('module "network"');
    expect(root).toContain('resource "terraform_data" "kubernetes_secret_v1__argocd_cluster"');
    expect(files.some((f) => f.path.includes('ignored'))).toBe(false);
  });

  it('maps a stand-in address back to the real one', () => {
    expect(realAddress('module.cluster.terraform_data.linode_lke_cluster__this')).toBe(
      'module.cluster.linode_lke_cluster.this',
    );
    expect(realAddress('module.network.terraform_data.linode_domain_record__this["apex-caa"]')).toBe(
      'module.network.linode_domain_record.this["apex-caa"]',
    );
    expect(realAddress('terraform_data.kubernetes_secret_v1__argocd_cluster')).toBe(
      'kubernetes_secret_v1.argocd_cluster',
    );
  });
});
