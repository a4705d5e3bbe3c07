import { describe, expect, it } from 'vitest';
import { inboundAllows, ingressPortsAllowed as rule } from './ingress-ports-allowed.js';
import { env, o, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2014 ingress-ports-allowed', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a missing 80 at the ingress', () => {
    const m = testModel();
    const fw = env(m, 'production').network.firewall;
    fw.inbound = fw.inbound.filter((r) => r.ports !== '80');
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'ingress "sample.production.acme.example" in "production" needs port 80, which the inbound firewall does not allow',
    ]);
    expect(f[0]?.origin.path).toBe('services[0].ingress.host');
    expect(f[0]?.hint).toContain('ports: "80"');
  });
  it('reports both ports when the firewall has no inbound rules', () => {
    const m = testModel();
    env(m, 'production').network.firewall.inbound = [];
    expect(rule.check(m, ctx).map((f) => f.message.match(/port (\d+)/)?.[1])).toEqual(['443', '80']);
  });
  it('accepts a combined rule, a range, and an ACCEPT default policy', () => {
    const m = testModel();
    const e = env(m, 'production');
    e.network.firewall.inbound = [
      {
        label: 'web',
        action: 'ACCEPT',
        protocol: 'TCP',
        ports: '80,443',
        ipv4: ['0.0.0.0/0'],
        ipv6: [],
        origin: o('x'),
      },
    ];
    expect(rule.check(m, ctx)).toEqual([]);
    e.network.firewall.inbound = [
      {
        label: 'web',
        action: 'ACCEPT',
        protocol: 'TCP',
        ports: '1-1024',
        ipv4: ['10.0.0.0/8'],
        ipv6: [],
        origin: o('x'),
      },
    ];
    expect(rule.check(m, ctx)).toEqual([]);
    e.network.firewall.inbound = [];
    e.network.firewall.inboundPolicy = 'ACCEPT';
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('lets the first matching rule decide (a DROP before the ACCEPT wins)', () => {
    const m = testModel();
    const e = env(m, 'production');
    e.network.firewall.inbound.unshift({
      label: 'no-web',
      action: 'DROP',
      protocol: 'TCP',
      ports: '443',
      ipv4: ['0.0.0.0/0'],
      ipv6: [],
      origin: o('x'),
    });
    expect(inboundAllows(e, 443)).toBe(false);
    expect(inboundAllows(e, 80)).toBe(true);
  });
  it('ignores environments without ingress', () => {
    const m = testModel();
    env(m, 'system').network.firewall.inbound = [];
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
