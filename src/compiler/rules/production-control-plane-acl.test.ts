import { describe, expect, it } from 'vitest';
import { productionControlPlaneAcl as rule } from './production-control-plane-acl.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2002 production-control-plane-acl', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports a disabled ACL at the ACL', () => {
    const m = testModel();
    env(m, 'production').cluster.controlPlaneAcl.enabled = false;
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'production environment "production" disables the control-plane ACL',
    ]);
    expect(f[0]?.origin.path).toBe('environments.production.cluster.controlPlaneAcl');
  });
  it('reports an enabled ACL with no addresses', () => {
    const m = testModel();
    const acl = env(m, 'production').cluster.controlPlaneAcl;
    acl.ipv4 = [];
    const f = rule.check(m, ctx);
    expect(f[0]?.message).toContain('has no control-plane ACL addresses');
    expect(f[0]?.origin.path).toBe('environments.production.cluster.controlPlaneAcl');
  });
  it('reports a missing ACL block at the cluster', () => {
    const m = testModel();
    const acl = env(m, 'production').cluster.controlPlaneAcl;
    Object.assign(acl, { enabled: false, ipv4: [] });
    delete acl.origin;
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual(['production environment "production" has no control-plane ACL']);
    expect(f[0]?.origin.path).toBe('environments.production.cluster');
  });
  it('accepts an IPv6-only ACL', () => {
    const m = testModel();
    const acl = env(m, 'production').cluster.controlPlaneAcl;
    acl.ipv4 = [];
    acl.ipv6 = ['2001:db8::/32'];
    expect(rule.check(m, ctx)).toEqual([]);
  });
  it('reports an ACL open to the world', () => {
    const m = testModel();
    env(m, 'production').cluster.controlPlaneAcl.ipv6 = ['::/0'];
    expect(rule.check(m, ctx)[0]?.message).toBe(
      'production environment "production" opens the control-plane ACL to "::/0"',
    );
  });
  it('ignores non-production ACLs', () => {
    const m = testModel();
    env(m, 'development').cluster.controlPlaneAcl.enabled = false;
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
