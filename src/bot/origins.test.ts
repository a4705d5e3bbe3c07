import { describe, expect, it } from 'vitest';
import { originLookup } from './origins.js';

describe('spec origins of planned changes', () => {
  const manifest = JSON.stringify({
    files: {
      'terraform/environments/production/main.tf': {
        sha256: 'x',
        sources: [
          {
            resource: 'module.cluster.linode_lke_cluster.this',
            path: 'environments.production.cluster',
            line: 120,
            column: 5,
          },
          {
            resource: 'module.cluster.linode_lke_cluster.this',
            path: 'environments.production.cluster.pools[1]',
            line: 131,
            column: 9,
          },
          {
            resource: 'module.network.linode_domain_record.this["caa"]',
            path: 'environments.production.network.dns.records[0]',
            line: 150,
            column: 11,
          },
          { resource: 'module.network', path: 'environments.production.network', line: 140, column: 5 },
        ],
      },
      'kubernetes/production/namespaces.yaml': {
        sha256: 'y',
        sources: [{ resource: 'Namespace/team-a', path: 'services[0]', line: 200, column: 5 }],
      },
    },
  });
  const find = originLookup(manifest, 'environments.yaml');

  it('maps an address to the spec line that produced it', () => {
    expect(find('production', 'module.cluster.linode_lke_cluster.this')).toBe(
      'environments.yaml:120 environments.production.cluster',
    );
    expect(find('production', 'module.network.linode_domain_record.this["caa"]')).toBe(
      'environments.yaml:150 environments.production.network.dns.records[0]',
    );
  });

  it('falls back to the enclosing module, and knows nothing of other environments or a broken manifest', () => {
    expect(find('production', 'module.network.linode_firewall.this')).toBe(
      'environments.yaml:140 environments.production.network',
    );
    expect(find('staging', 'module.cluster.linode_lke_cluster.this')).toBeUndefined();
    expect(find('production', 'terraform_data.x')).toBeUndefined();
    expect(originLookup('{not json', 'environments.yaml')('production', 'a')).toBeUndefined();
  });
});
