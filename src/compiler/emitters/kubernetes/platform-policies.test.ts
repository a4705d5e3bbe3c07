/**
 * The flows the platform's own add-ons need under default deny (issue 11 findings 6, 8, 9, 10), each checked on
 * the shipped spec and, where a spec choice decides it, on a one-line mutation of it.
 */
import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { ingressNamespaces, networkPolicies } from './network-policies.js';
import { postgresEgressPolicy } from './service-policies.js';

type Peer = {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
};
type Rule = { from?: Peer[]; to?: Peer[]; ports?: Array<{ protocol: string; port: number | string }> };
type Policy = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: Rule[]; egress?: Rule[] };
};

async function policiesOf(env: string, spec?: object) {
  const model = spec ? await modelFromSpec(spec) : await defaultModel();
  const e = model.environments.find((x) => x.name === env)!;
  return { env: e, policies: networkPolicies(e).map((m) => m.object as unknown as Policy) };
}
const find = (ps: Policy[], ns: string, name: string) =>
  ps.find((p) => p.metadata.namespace === ns && p.metadata.name === name);
const ports = (r: Rule) => (r.ports ?? []).map((p) => p.port);

describe('ACME HTTP-01 solvers (finding 8)', () => {
  it('lets the ingress controller reach the solver pods in every namespace holding an Ingress', async () => {
    for (const [name, expected] of [
      ['system', ['argocd', 'monitoring']],
      ['production', ['monitoring', 'team-a']],
    ] as const) {
      const { env, policies } = await policiesOf(name);
      expect(ingressNamespaces(env)).toEqual(expected);
      const controller = find(policies, 'ingress-nginx', 'allow-ingress-controller')!;
      for (const ns of expected) {
        const allow = find(policies, ns, 'allow-acme-http01');
        expect(allow, `${name}/${ns}`).toBeDefined();
        expect(allow!.spec.podSelector.matchLabels).toEqual({ 'acme.cert-manager.io/http01-solver': 'true' });
        expect(allow!.spec.ingress![0]!.from![0]!.podSelector!.matchLabels).toMatchObject({
          'app.kubernetes.io/name': 'ingress-nginx',
        });
        expect(ports(allow!.spec.ingress![0]!)).toEqual([8089]);
        expect(
          controller.spec.egress!.some(
            (r) =>
              ports(r).includes(8089) &&
              r.to![0]!.namespaceSelector!.matchLabels!['kubernetes.io/metadata.name'] === ns,
          ),
          `${name}: controller → ${ns} solvers`,
        ).toBe(true);
      }
    }
  });
});

describe('Prometheus targets and admission webhooks (finding 9)', () => {
  it('lets Prometheus scrape CoreDNS in kube-system, the kubelets and node exporters', async () => {
    const { policies } = await policiesOf('development');
    const egress = find(policies, 'monitoring', 'allow-prometheus-egress')!.spec.egress!;
    const coredns = egress.find((r) => r.to?.[0]?.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns');
    expect(coredns?.to?.[0]?.namespaceSelector?.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'kube-system',
    });
    expect(ports(coredns!)).toEqual([9153]);
    expect(egress.some((r) => ports(r).includes(10250) && ports(r).includes(9100))).toBe(true);
  });

  it('lets the API server (outside the pod network) reach every admission webhook', async () => {
    const { policies } = await policiesOf('staging');
    const fromControlPlane = (p: Policy | undefined, port: number) =>
      p?.spec.ingress?.some(
        (r) => r.from?.some((f) => f.ipBlock?.cidr === '0.0.0.0/0') && ports(r).includes(port),
      );
    const operator = find(policies, 'monitoring', 'allow-prometheus-operator-webhook');
    expect(operator?.spec.podSelector.matchLabels).toEqual({ app: 'kube-prometheus-stack-operator' });
    expect(fromControlPlane(operator, 10250)).toBe(true);
    expect(fromControlPlane(find(policies, 'cert-manager', 'allow-cert-manager'), 10250)).toBe(true);
    expect(fromControlPlane(find(policies, 'ingress-nginx', 'allow-ingress-controller'), 8443)).toBe(true);
  });
});

describe('Object Storage and PostgreSQL egress (findings 10 and 6)', () => {
  it('gives a service holding an Object Storage key HTTPS out, naming the endpoint', async () => {
    const { policies } = await policiesOf('production');
    const p = find(policies, 'team-a', 'allow-sample-service')!;
    expect(p.metadata.annotations?.['envc.io/external-endpoints']).toBe('https://us-ord-1.linodeobjects.com');
    const out = p.spec.egress!.find((r) => r.to?.some((t) => t.ipBlock?.cidr === '0.0.0.0/0'));
    expect(out && ports(out)).toEqual([443]);
  });

  it('opens nothing to Object Storage for a service without a key', async () => {
    const spec = defaultSpecObject() as {
      secrets: Array<{ name: string }>;
      services: Array<{ secrets: string[] }>;
    };
    spec.secrets = spec.secrets.filter((s) => s.name !== 'objstore-key');
    spec.services[0]!.secrets = spec.services[0]!.secrets.filter((s) => s !== 'objstore-key');
    const { policies } = await policiesOf('production', spec);
    const p = find(policies, 'team-a', 'allow-sample-service')!;
    expect(p.metadata.annotations?.['envc.io/external-endpoints']).toBeUndefined();
    expect(p.spec.egress!.some((r) => ports(r).includes(443))).toBe(false);
  });

  it('never hard-codes a PostgreSQL port in an app namespace: Terraform writes that policy with the real one', async () => {
    const { env, policies } = await policiesOf('production');
    const appPorts = policies
      .filter((p) => p.metadata.namespace === 'team-a')
      .flatMap((p) => [...(p.spec.egress ?? [])].flatMap(ports));
    expect(appPorts).not.toContain(5432);
    expect(postgresEgressPolicy(env)).toEqual({
      name: 'allow-postgres-egress',
      services: { 'team-a': ['sample-service'] },
    });
    const { env: system } = await policiesOf('system');
    expect(postgresEgressPolicy(system)).toBeUndefined();
  });
});
