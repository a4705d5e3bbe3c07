import { describe, expect, it } from 'vitest';
import type { ResourceChange } from './steps/show.js';
import { actionOf, countsText, summarizeChanges } from './summary.js';

const rc = (address: string, type: string, actions: string[]): ResourceChange => ({
  address,
  type,
  name: address.split('.').pop()!,
  mode: 'managed',
  change: { actions },
});

describe('plan summary', () => {
  it('counts like terraform (a replacement is an add and a destroy) and lists resources by address', () => {
    const s = summarizeChanges([
      rc('linode_lke_cluster.this', 'linode_lke_cluster', ['delete', 'create']),
      rc('linode_firewall.this', 'linode_firewall', ['update']),
      rc('linode_domain.zone', 'linode_domain', ['delete']),
      rc('linode_domain_record.a', 'linode_domain_record', ['create']),
      rc('linode_instance.x', 'linode_instance', ['no-op']),
      rc('data.linode_profile.me', 'linode_profile', ['read']),
    ]);
    expect(s.counts).toEqual({ add: 2, change: 1, destroy: 2, replace: 1 });
    expect(s.resources.map((r) => `${r.action} ${r.address}`)).toEqual([
      'delete linode_domain.zone',
      'create linode_domain_record.a',
      'update linode_firewall.this',
      'replace linode_lke_cluster.this',
    ]);
    expect(s.protectedDestroys).toEqual(['linode_domain.zone', 'linode_lke_cluster.this']);
    expect(s.hasChanges).toBe(true);
    expect(countsText(s.counts)).toBe('+2 ~1 -2 (1 replaced)');
  });

  it('no-op plans have no changes; output-only changes do', () => {
    expect(summarizeChanges([rc('a.b', 'a', ['no-op'])]).hasChanges).toBe(false);
    const s = summarizeChanges([], { url: { actions: ['update'] }, same: { actions: ['no-op'] } });
    expect(s.outputs).toEqual([{ name: 'url', action: 'update' }]);
    expect(s.hasChanges).toBe(true);
  });

  it('maps action lists', () => {
    expect(actionOf(['create', 'delete'])).toBe('replace');
    expect(actionOf(['forget'])).toBe('forget');
    expect(actionOf(['no-op'])).toBeUndefined();
  });
});
