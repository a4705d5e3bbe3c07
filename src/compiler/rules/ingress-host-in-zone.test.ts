import { describe, expect, it } from 'vitest';
import { inZone, ingressHostInZone as rule } from './ingress-host-in-zone.js';
import { env, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2013 ingress-host-in-zone', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('matches on label boundaries only', () => {
    expect(inZone('sample.acme.example', 'acme.example')).toBe(true);
    expect(inZone('acme.example', 'acme.example')).toBe(true);
    expect(inZone('sample.notacme.example', 'acme.example')).toBe(false);
    expect(inZone('SAMPLE.Acme.example.', 'acme.example')).toBe(true);
  });
  it('reports a host outside the zone at the ingress, suggesting one inside', () => {
    const m = testModel();
    env(m, 'development').network.dns.zone = 'dev.acme.example';
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'ingress host "sample.development.acme.example" of "sample-service" in "development" is outside the zone "dev.acme.example"',
    ]);
    expect(f[0]?.origin.path).toBe('services[0].ingress.host');
    expect(f[0]?.hint).toContain('ingress.hosts.development: sample.dev.acme.example');
  });
  it('ignores services without ingress', () => {
    const m = testModel();
    env(m, 'development').network.dns.zone = 'dev.acme.example';
    delete env(m, 'development').services[0]!.ingress;
    expect(rule.check(m, ctx)).toEqual([]);
  });
});
