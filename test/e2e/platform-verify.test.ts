/**
 * The whole-platform check on the shipped spec: the bring-up order of all four environments from an empty
 * account (printed), what is still open, and that deleting any single element a needed flow rests on —
 * a firewall rule, an ACL entry, a DNS record, a NetworkPolicy — is caught.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { printBringUp } from '../../src/compiler/platform/bringup.js';
import type { PlatformFacts } from '../../src/compiler/platform/facts.js';
import { checkFlows } from '../../src/compiler/platform/flow-check.js';
import { verifyFacts } from '../../src/compiler/platform/verify.js';
import {
  errors,
  factsOf,
  SPEC,
  withNetwork,
  withPolicies,
  withResources,
} from '../support/platform-facts.js';

let base: PlatformFacts;
beforeAll(async () => {
  base = await factsOf(SPEC);
}, 180_000);

describe('bring-up from an empty account', () => {
  it('walks all four environments in the runner order and prints it', () => {
    const { bringUp } = verifyFacts(base);
    const text = printBringUp(bringUp);
    console.log(`bring-up order of the shipped spec:\n${text}`);
    const steps = bringUp.steps;
    const first = (kind: string, env: string) => steps.findIndex((s) => s.kind === kind && s.env === env);
    // system (ArgoCD) before everyone; per environment Terraform, then ArgoCD's sync, then the first rotation.
    expect(steps.find((s) => s.kind !== 'bootstrap')?.env).toBe('system');
    for (const env of ['development', 'staging', 'production']) {
      expect(first('terraform', env)).toBeGreaterThan(first('terraform', 'system'));
      expect(first('argocd-sync', env)).toBeGreaterThan(first('terraform', env));
      expect(first('rotation', env)).toBeGreaterThan(first('argocd-sync', env));
    }
    expect(text).toContain('[argocd-sync] ArgoCD syncs generated/kubernetes/production');
    expect(text).toMatch(/helm release kube-prometheus-stack/);
    // Bootstrap steps (the state bucket) come first when there are any.
    const boot = steps.filter((s) => s.kind === 'bootstrap').map((s) => s.index);
    expect(boot).toEqual(boot.map((_, i) => i));
  });
});

describe('the shipped spec', () => {
  it('comes up from an empty account with every needed flow open and no forbidden one: 0 errors', () => {
    expect(errors(verifyFacts(base).diagnostics).map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});

describe('deleting one element a needed flow rests on is caught', () => {
  /** Elements that alone carry some needed flow through their layer today. */
  function soleSupports(layer: string): Set<string> {
    const out = new Set<string>();
    for (const r of checkFlows(base).results) {
      if (r.flow.need !== 'needed' || !r.ok) continue;
      for (const v of r.verdicts) if (v.layer === layer && v.allowedBy.length === 1) out.add(v.allowedBy[0]!);
    }
    return out;
  }

  let before: Set<string> | undefined;
  const newErrors = (f: PlatformFacts) => {
    before ??= new Set(errors(verifyFacts(base).diagnostics).map((d) => `${d.code}|${d.message}`));
    return errors(verifyFacts(f).diagnostics).filter((d) => !before!.has(`${d.code}|${d.message}`));
  };
  /** `<env>:<kind>:<rest>` where rest may itself hold colons (IPv6 ranges, `ingress:grafana`). */
  const parts = (id: string, kind: string): [string, string] => {
    const at = id.indexOf(`:${kind}:`);
    return [id.slice(0, at), id.slice(at + kind.length + 2)];
  };

  it('every firewall rule', () => {
    const ids = [...soleSupports('cloud-firewall')].filter((id) => !id.endsWith('_policy'));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      // A label may hold colons itself (`terraform:module.network.extra_outbound_rules`).
      const [env, direction, ...rest] = id.split(':') as [string, 'inbound' | 'outbound', ...string[]];
      const label = rest.join(':');
      expect(['inbound', 'outbound']).toContain(direction);
      const f = withNetwork(base, env, (n) => {
        n.firewall[direction] = n.firewall[direction].filter((r) => r.label !== label);
      });
      const d = newErrors(f);
      expect(
        d.some((x) => x.message.includes('cloud-firewall') && x.message.includes(`Cloud Firewall of ${env}`)),
        id,
      ).toBe(true);
    }
  });

  it('every control-plane ACL entry', () => {
    const ids = [...soleSupports('control-plane-acl')].filter((id) => id.includes(':acl:'));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const [env, entry] = parts(id, 'acl');
      const f = withNetwork(base, env, (n) => {
        n.acl.ipv4 = n.acl.ipv4.filter((c) => c !== entry);
        n.acl.ipv6 = n.acl.ipv6.filter((c) => c !== entry);
      });
      expect(
        newErrors(f).some((x) => x.message.includes('control-plane-acl')),
        id,
      ).toBe(true);
    }
  });

  it('every DNS record of an Ingress host', () => {
    const ids = [...soleSupports('dns')].filter((id) => id.includes(':dns:'));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const [env, key] = parts(id, 'dns');
      const f = withNetwork(base, env, (n) => {
        n.dns.records = n.dns.records.filter((r) => r.key !== key);
      });
      const d = newErrors(f);
      expect(
        d.some((x) => x.code === 'ENVC2603'),
        id,
      ).toBe(true);
    }
  });

  it('every NetworkPolicy that allows a needed flow', () => {
    // The evaluator names the first policy that admits a hop; a policy is needed when no other one admits
    // the same hop once it is gone (Object Storage's egress on 443 also covers a 443 egress allowlist).
    const ids = [...soleSupports('network-policy')].filter((id) => !id.includes(':terraform:'));
    let needed = 0;
    for (const id of ids) {
      const f = withPolicies(base, (ps) => ps.filter((p) => `${p.env}/${p.namespace}/${p.name}` !== id));
      const after = new Map(checkFlows(f).results.map((r) => [r.flow.title, r]));
      const carried = checkFlows(base).results.filter((r) =>
        r.verdicts.some((v) => v.layer === 'network-policy' && v.allowedBy.includes(id)),
      );
      const stillAllowed = carried.every((r) =>
        after.get(r.flow.title)!.verdicts.some((v) => v.layer === 'network-policy' && v.allowed),
      );
      if (stillAllowed) continue;
      needed++;
      expect(
        newErrors(f).some((x) => x.message.includes('network-policy')),
        id,
      ).toBe(true);
    }
    expect(needed).toBeGreaterThan(10);
  });

  it("every Terraform-written policy (PostgreSQL egress, the API server's addresses)", () => {
    for (const address of [
      'module.app_data.kubernetes_manifest.postgres_egress',
      'kubernetes_manifest.allow_kube_apiserver',
    ]) {
      const f = withResources(base, (r) => (r.address === address ? undefined : r));
      expect(
        newErrors(f).some((x) => x.code === 'ENVC2601' && x.message.includes('network-policy')),
        address,
      ).toBe(true);
    }
  });
});
