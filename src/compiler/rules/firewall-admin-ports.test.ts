import { describe, expect, it } from 'vitest';
import type { FirewallRuleModel } from '../model.js';
import { firewallAdminPorts as rule } from './firewall-admin-ports.js';
import { env, o, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };
function fwRule(overrides: Partial<FirewallRuleModel>): FirewallRuleModel {
  return {
    label: 'ssh',
    action: 'ACCEPT',
    protocol: 'TCP',
    ports: '22',
    ipv4: ['0.0.0.0/0'],
    ipv6: [],
    origin: o('environments.development.network.firewall.inbound[2]', 22, 13),
    ...overrides,
  };
}

describe('ENVC2004 firewall-admin-ports', () => {
  it('passes the valid model (443/80 open to the world)', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports SSH open to 0.0.0.0/0 at the rule', () => {
    const m = testModel();
    env(m, 'development').network.firewall.inbound.push(fwRule({}));
    const f = rule.check(m, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toBe('firewall rule "ssh" in "development" opens SSH (port 22) to "0.0.0.0/0"');
    expect(f[0]?.origin.path).toBe('environments.development.network.firewall.inbound[2]');
  });
  it('reports 6443 inside a range and a list, open on ::/0', () => {
    const m = testModel();
    env(m, 'development').network.firewall.inbound.push(
      fwRule({ label: 'k8s', ports: '80,6000-7000', ipv4: [], ipv6: ['::/0'] }),
    );
    expect(rule.check(m, ctx).map((f) => f.message)).toEqual([
      'firewall rule "k8s" in "development" opens the Kubernetes API (port 6443) to "::/0"',
    ]);
  });
  it('reports a rule without ports once per admin port', () => {
    const m = testModel();
    env(m, 'development').network.firewall.inbound.push(fwRule({ label: 'all-tcp', ports: undefined }));
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'firewall rule "all-tcp" in "development" opens SSH (port 22) to "0.0.0.0/0"',
      'firewall rule "all-tcp" in "development" opens the Kubernetes API (port 6443) to "0.0.0.0/0"',
    ]);
    expect(f[0]?.hint).toContain('no `ports`');
  });
  it('accepts SSH from an office range, DROP rules, UDP rules and outbound rules', () => {
    const m = testModel();
    const fw = env(m, 'development').network.firewall;
    fw.inbound.push(fwRule({ ipv4: ['203.0.113.0/24'] }));
    fw.inbound.push(fwRule({ label: 'drop-ssh', action: 'DROP' }));
    fw.inbound.push(fwRule({ label: 'udp', protocol: 'UDP' }));
    fw.outbound.push(fwRule({ label: 'out-ssh' }));
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports a default ACCEPT inbound policy unless a world-wide DROP closes the port', () => {
    const m = testModel();
    const fw = env(m, 'development').network.firewall;
    fw.inboundPolicy = 'ACCEPT';
    fw.inbound.push(fwRule({ label: 'drop-ssh', action: 'DROP', ipv4: ['0.0.0.0/0'] }));
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'inbound firewall of "development" accepts by default, which opens the Kubernetes API (port 6443) to the world',
    ]);
    expect(f[0]?.origin.path).toBe('environments.development.network.firewall.inboundPolicy');
    expect(f[0]?.origin.line).toBe(3);
  });
});
