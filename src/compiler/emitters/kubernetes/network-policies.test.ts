import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { networkPolicies, outside } from './network-policies.js';
import { managedNamespaces } from './platform.js';

type Peer = {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: unknown;
  ipBlock?: { cidr: string; except?: string[] };
};
type Policy = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: Array<{ from?: Peer[] }>;
    egress?: Array<{ to?: Peer[] }>;
  };
};

async function policiesOf(env: string) {
  const model = await defaultModel();
  const e = model.environments.find((x) => x.name === env)!;
  return { env: e, policies: networkPolicies(e).map((m) => m.object as unknown as Policy) };
}

describe('network policies', () => {
  it('puts a default deny for ingress and egress in every namespace envc manages', async () => {
    for (const name of ['development', 'staging', 'production', 'system']) {
      const { env, policies } = await policiesOf(name);
      for (const ns of managedNamespaces(env)) {
        const deny = policies.find(
          (p) => p.metadata.namespace === ns.name && p.metadata.name === 'default-deny-all',
        );
        expect(deny, `${name}/${ns.name}`).toBeDefined();
        expect(deny!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      }
    }
  });

  it('selects on the environment label in every namespaceSelector (no path to another environment)', async () => {
    for (const name of ['development', 'staging', 'production', 'system']) {
      const { policies } = await policiesOf(name);
      const peers = policies.flatMap((p) => [
        ...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []),
        ...(p.spec.egress ?? []).flatMap((r) => r.to ?? []),
      ]);
      const nsPeers = peers.filter((peer) => peer.namespaceSelector);
      expect(nsPeers.length).toBeGreaterThan(5);
      for (const peer of nsPeers) {
        const labels = peer.namespaceSelector!.matchLabels ?? {};
        // kube-system (the cluster DNS) is the one namespace envc does not own or label.
        if (labels['kubernetes.io/metadata.name'] === 'kube-system') continue;
        expect(labels['envc.io/environment'], JSON.stringify(peer)).toBe(name);
      }
    }
  });

  it('never lets an ipBlock stand for the pod or service network', async () => {
    const { policies } = await policiesOf('system');
    const blocks = policies
      .flatMap((p) => [
        ...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []),
        ...(p.spec.egress ?? []).flatMap((r) => r.to ?? []),
      ])
      .filter((peer) => peer.ipBlock);
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks.filter((x) => x.ipBlock!.cidr === '0.0.0.0/0'))
      expect(b.ipBlock!.except).toEqual(['10.2.0.0/16', '10.128.0.0/16']);
    expect(outside(['192.0.2.0/24'])).toEqual([{ ipBlock: { cidr: '192.0.2.0/24' } }]);
    expect(outside(['10.0.0.0/8'])).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.2.0.0/16', '10.128.0.0/16'] } },
    ]);
  });

  it('turns the egress allowlist into per-namespace egress with the listed ports', async () => {
    const { policies } = await policiesOf('production');
    const p = policies.find((x) => x.metadata.name === 'allow-egress-payment-provider')!;
    expect(p.metadata.namespace).toBe('team-a');
    expect(p.spec).toMatchObject({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
  });

  it('annotates and opens an allowFrom override, with the matching egress on the caller', async () => {
    const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
    spec.services.push({
      name: 'frontend',
      owner: 'team-b',
      image: 'ghcr.io/acme/frontend:2.0.0',
      port: 3000,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      environments: ['staging'],
    });
    (spec.services[0] as { allowFrom?: string[] }).allowFrom = ['team-b/frontend'];
    const model = await modelFromSpec(spec);
    const staging = model.environments.find((e) => e.name === 'staging')!;
    const policies = networkPolicies(staging).map((m) => m.object as unknown as Policy);
    const target = policies.find((p) => p.metadata.name === 'allow-sample-service')!;
    expect(target.metadata.annotations?.['envc.io/allow-from']).toBe('team-b/frontend');
    expect(target.spec.ingress).toContainEqual({
      from: [
        {
          namespaceSelector: {
            matchLabels: { 'envc.io/environment': 'staging', 'kubernetes.io/metadata.name': 'team-b' },
          },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    const caller = policies.find((p) => p.metadata.name === 'allow-frontend')!;
    expect(caller.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(caller.spec.egress).toContainEqual({
      to: [
        {
          namespaceSelector: {
            matchLabels: { 'envc.io/environment': 'staging', 'kubernetes.io/metadata.name': 'team-a' },
          },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'sample-service' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    // In environments where nobody asked, there is no annotation.
    const dev = model.environments.find((e) => e.name === 'development')!;
    const devPolicy = networkPolicies(dev).find((m) => m.object.metadata.name === 'allow-sample-service')!
      .object as unknown as Policy;
    expect(devPolicy.metadata.annotations?.['envc.io/allow-from']).toBeUndefined();
  });

  it('is deterministic', async () => {
    const a = (await policiesOf('production')).policies;
    const b = (await policiesOf('production')).policies;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
