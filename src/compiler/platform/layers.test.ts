import { describe, expect, it } from 'vitest';
import type { Universe } from '../../traffic/universe.js';
import type { EnvNetwork, PlatformFacts } from './facts.js';
import { evaluateHop } from './layers.js';

const net = (over: Partial<EnvNetwork> = {}): EnvNetwork => ({
  firewall: {
    inboundPolicy: 'DROP',
    outboundPolicy: 'DROP',
    inbound: [
      { label: 'deny-ssh', action: 'DROP', protocol: 'TCP', ports: '22', ipv4: ['0.0.0.0/0'], ipv6: [] },
      {
        label: 'lke-private',
        action: 'ACCEPT',
        protocol: 'TCP',
        ports: '22,179,5473,10250-10256',
        ipv4: ['192.168.128.0/17'],
        ipv6: [],
      },
    ],
    outbound: [
      { label: 'https-out', action: 'ACCEPT', protocol: 'TCP', ports: '443', ipv4: ['0.0.0.0/0'], ipv6: [] },
    ],
  },
  acl: { enabled: true, ipv4: ['203.0.113.0/24', '198.51.100.112/28'], ipv6: [] },
  dns: {
    zone: 'acme.example',
    records: [{ key: 'ingress:sample', name: 'sample', type: 'A', target: 'nb' }],
  },
  postgres: { allowList: [] },
  ...over,
});

const universe: Universe = {
  environments: ['prod'],
  namespaces: new Map(),
  pods: [],
  policies: [],
  podCidrs: new Map(),
};
const facts = (n: EnvNetwork, values = new Map<string, unknown>()): PlatformFacts =>
  ({ network: new Map([['prod', n]]), universe, roots: [], values }) as unknown as PlatformFacts;

describe('evaluateHop', () => {
  it('cloud firewall: the first matching rule decides, else the default policy', () => {
    const f = facts(net());
    const hop = {
      layer: 'cloud-firewall',
      env: 'prod',
      direction: 'inbound',
      peer: '192.168.130.4',
      protocol: 'TCP',
    } as const;
    expect(evaluateHop(f, { ...hop, port: 22 })).toMatchObject({
      allowed: false,
      decidedBy: 'prod:inbound:deny-ssh',
    });
    expect(evaluateHop(f, { ...hop, port: 10251 })).toMatchObject({
      allowed: true,
      allowedBy: ['prod:inbound:lke-private'],
    });
    const v = evaluateHop(f, { ...hop, port: 5474 });
    expect(v).toMatchObject({ allowed: false, decidedBy: 'prod:inbound_policy DROP' });
    expect(v.detail).toContain('no rule matches');
  });

  it('control-plane ACL: the source range must lie inside an entry', () => {
    const f = facts(net());
    const hop = (cidrs: string[]) => ({
      layer: 'control-plane-acl' as const,
      env: 'prod',
      source: { what: 'ArgoCD', cidrs },
    });
    expect(evaluateHop(f, hop(['198.51.100.112/29']))).toMatchObject({
      allowed: true,
      allowedBy: ['prod:acl:198.51.100.112/28'],
    });
    expect(evaluateHop(f, hop(['198.51.100.96/27'])).allowed).toBe(false);
    expect(evaluateHop(f, hop([])).detail).toContain('no address range is declared for ArgoCD');
    expect(evaluateHop(facts(net({ acl: { enabled: false, ipv4: [], ipv6: [] } })), hop([])).allowed).toBe(
      true,
    );
  });

  it('database allow list: empty admits nobody', () => {
    const hop = {
      layer: 'database-allow-list' as const,
      env: 'prod',
      source: { what: 'nodes', cidrs: ['198.51.100.96/28'] },
    };
    expect(evaluateHop(facts(net()), hop)).toMatchObject({ allowed: false, layer: 'database-allow-list' });
    expect(evaluateHop(facts(net({ postgres: { allowList: ['198.51.100.96/28'] } })), hop).allowed).toBe(
      true,
    );
  });

  it('DNS: a record for the host, a wildcard, or external-dns owning the zone', () => {
    const hop = (host: string) => ({ layer: 'dns' as const, env: 'prod', host });
    expect(evaluateHop(facts(net()), hop('sample.acme.example'))).toMatchObject({
      allowed: true,
      allowedBy: ['prod:dns:ingress:sample'],
    });
    expect(evaluateHop(facts(net()), hop('grafana.acme.example')).allowed).toBe(false);
    expect(evaluateHop(facts(net()), hop('grafana.other.example')).detail).toContain('outside the zone');
    const wild = net({
      dns: { zone: 'acme.example', records: [{ key: 'w', name: '*', type: 'CNAME', target: 'x' }] },
    });
    expect(evaluateHop(facts(wild), hop('grafana.acme.example')).allowed).toBe(true);
    const edns = facts(net(), new Map([['prod/external-dns', { domainFilters: ['acme.example'] }]]));
    expect(evaluateHop(edns, hop('grafana.acme.example'))).toMatchObject({
      allowed: true,
      decidedBy: 'prod:external-dns',
    });
  });
});
