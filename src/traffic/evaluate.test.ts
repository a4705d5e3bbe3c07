import { describe, expect, it } from 'vitest';
import { parseIp } from './cidr.js';
import { type Endpoint, evaluate } from './evaluate.js';
import { query } from './query.js';
import { buildUniverse, type NetworkPolicy, type Universe } from './universe.js';

/** A small hand-built world: two environments, namespaces a and b in each, pods web and db. */
function world(
  policies: Array<Partial<NetworkPolicy> & Pick<NetworkPolicy, 'env' | 'namespace' | 'name'>>,
): Universe {
  const objects = [];
  for (const env of ['dev', 'prod']) {
    for (const ns of ['a', 'b']) {
      objects.push({
        env,
        object: {
          kind: 'Namespace',
          metadata: {
            name: ns,
            labels: {
              'kubernetes.io/metadata.name': ns,
              'envc.io/environment': env,
              team: ns === 'a' ? 'alpha' : 'beta',
            },
          },
        },
      });
      for (const app of ['web', 'db']) {
        objects.push({
          env,
          object: {
            kind: 'Deployment',
            metadata: { name: app, namespace: ns },
            spec: {
              template: {
                metadata: { labels: { app } },
                spec: {
                  containers: [
                    {
                      ports: [
                        { name: 'http', containerPort: 8080 },
                        { name: 'dns', containerPort: 53, protocol: 'UDP' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        });
      }
    }
  }
  const u = buildUniverse(objects);
  u.policies = policies.map((p) => ({
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [],
    egress: [],
    ...p,
  }));
  return u;
}

const pod = (u: Universe, env: string, ns: string, name: string): Endpoint => ({
  kind: 'pod',
  pod: u.pods.find((p) => p.env === env && p.namespace === ns && p.name === name)!,
});
const ip = (text: string): Endpoint => ({ kind: 'external', ip: parseIp(text)!, text });

describe('evaluate: isolation', () => {
  it('allows everything when no policy selects either pod', () => {
    const u = world([]);
    const v = evaluate(u, pod(u, 'dev', 'a', 'web'), pod(u, 'prod', 'b', 'db'), 5432);
    expect(v.allowed).toBe(true);
    expect(v.egress.isolated).toBe(false);
    expect(v.ingress.isolated).toBe(false);
  });

  it('a default deny isolates both directions and is named as the decider', () => {
    const u = world([
      { env: 'dev', namespace: 'b', name: 'default-deny-all', policyTypes: ['Ingress', 'Egress'] },
    ]);
    const v = evaluate(u, pod(u, 'dev', 'a', 'web'), pod(u, 'dev', 'b', 'db'), 8080);
    expect(v).toMatchObject({ allowed: false, decidedBy: 'dev/b/default-deny-all' });
    expect(v.egress.allowed).toBe(true);
    const out = evaluate(u, pod(u, 'dev', 'b', 'db'), pod(u, 'dev', 'a', 'web'), 8080);
    expect(out).toMatchObject({ allowed: false, decidedBy: 'dev/b/default-deny-all' });
    expect(out.egress.allowed).toBe(false);
  });

  it('defaults policyTypes to Ingress (plus Egress when egress rules exist)', () => {
    const u = buildUniverse([
      { env: 'x', object: { kind: 'Namespace', metadata: { name: 'n', labels: {} } } },
      {
        env: 'x',
        object: {
          kind: 'Deployment',
          metadata: { name: 'p', namespace: 'n' },
          spec: { template: { metadata: { labels: { app: 'p' } }, spec: { containers: [] } } },
        },
      },
      {
        env: 'x',
        object: {
          kind: 'NetworkPolicy',
          metadata: { name: 'ingress-only', namespace: 'n' },
          spec: { podSelector: {} },
        },
      },
      {
        env: 'x',
        object: {
          kind: 'NetworkPolicy',
          metadata: { name: 'with-egress', namespace: 'n' },
          spec: { podSelector: { matchLabels: { app: 'other' } }, egress: [{}] },
        },
      },
    ]);
    expect(u.policies.find((p) => p.name === 'ingress-only')!.policyTypes).toEqual(['Ingress']);
    expect(u.policies.find((p) => p.name === 'with-egress')!.policyTypes).toEqual(['Ingress', 'Egress']);
    const p = pod(u, 'x', 'n', 'p');
    expect(evaluate(u, p, ip('192.0.2.1'), 443).allowed).toBe(true); // ingress-only does not isolate egress
    expect(evaluate(u, ip('192.0.2.1'), p, 443)).toMatchObject({
      allowed: false,
      decidedBy: 'x/n/ingress-only',
    });
  });
});

describe('evaluate: peers', () => {
  it('podSelector alone means the policy namespace only', () => {
    const u = world([
      {
        env: 'dev',
        namespace: 'b',
        name: 'allow-web',
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      },
    ]);
    expect(evaluate(u, pod(u, 'dev', 'b', 'web'), pod(u, 'dev', 'b', 'db'), 8080)).toMatchObject({
      allowed: true,
      decidedBy: 'dev/b/allow-web',
    });
    expect(evaluate(u, pod(u, 'dev', 'a', 'web'), pod(u, 'dev', 'b', 'db'), 8080).allowed).toBe(false);
    expect(evaluate(u, pod(u, 'prod', 'b', 'web'), pod(u, 'dev', 'b', 'db'), 8080).allowed).toBe(false);
  });

  it('namespaceSelector with podSelector in one peer is AND; two peers are OR', () => {
    const and = world([
      {
        env: 'dev',
        namespace: 'b',
        name: 'and',
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'alpha' } },
                podSelector: { matchLabels: { app: 'web' } },
              },
            ],
          },
        ],
      },
    ]);
    expect(evaluate(and, pod(and, 'dev', 'a', 'web'), pod(and, 'dev', 'b', 'db'), 8080).allowed).toBe(true);
    expect(evaluate(and, pod(and, 'dev', 'a', 'db'), pod(and, 'dev', 'b', 'db'), 8080).allowed).toBe(false);
    // The selector names no environment, so in the flat view the other environment's namespace matches too.
    expect(evaluate(and, pod(and, 'prod', 'a', 'web'), pod(and, 'dev', 'b', 'db'), 8080).allowed).toBe(true);
    const or = world([
      {
        env: 'dev',
        namespace: 'b',
        name: 'or',
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { team: 'alpha', 'envc.io/environment': 'dev' } } },
              { podSelector: { matchLabels: { app: 'web' } } },
            ],
          },
        ],
      },
    ]);
    expect(evaluate(or, pod(or, 'dev', 'a', 'db'), pod(or, 'dev', 'b', 'db'), 8080).allowed).toBe(true);
    expect(evaluate(or, pod(or, 'dev', 'b', 'web'), pod(or, 'dev', 'b', 'db'), 8080).allowed).toBe(true);
    expect(evaluate(or, pod(or, 'prod', 'a', 'db'), pod(or, 'dev', 'b', 'db'), 8080).allowed).toBe(false);
  });

  it('an empty peer list or an empty rule allows every peer', () => {
    const u = world([{ env: 'dev', namespace: 'b', name: 'open', ingress: [{}] }]);
    expect(evaluate(u, ip('203.0.113.1'), pod(u, 'dev', 'b', 'db'), 1).allowed).toBe(true);
    expect(evaluate(u, pod(u, 'prod', 'a', 'web'), pod(u, 'dev', 'b', 'db'), 65535).allowed).toBe(true);
  });

  it('ipBlock honours except, and a block that excludes the pod network never matches a pod', () => {
    const u = world([
      {
        env: 'dev',
        namespace: 'a',
        name: 'egress',
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.2.0.0/16', '192.0.2.0/24'] } }] }],
      },
    ]);
    const web = pod(u, 'dev', 'a', 'web');
    expect(evaluate(u, web, ip('198.51.100.7'), 443)).toMatchObject({
      allowed: true,
      decidedBy: 'dev/a/egress',
    });
    expect(evaluate(u, web, ip('192.0.2.7'), 443)).toMatchObject({
      allowed: false,
      decidedBy: 'dev/a/egress',
    });
    expect(evaluate(u, web, ip('2001:db8::1'), 443).allowed).toBe(false);
    expect(evaluate(u, web, pod(u, 'dev', 'b', 'db'), 443).allowed).toBe(false);
    // Without the except, a pod address may fall in the block: counted as allowed (the cautious reading).
    const open = world([
      {
        env: 'dev',
        namespace: 'a',
        name: 'egress',
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      },
    ]);
    expect(evaluate(open, pod(open, 'dev', 'a', 'web'), pod(open, 'dev', 'b', 'db'), 443).allowed).toBe(true);
  });
});

describe('evaluate: ports', () => {
  const u = world([
    {
      env: 'dev',
      namespace: 'b',
      name: 'ports',
      ingress: [
        { ports: [{ port: 8000, endPort: 8100 }, { protocol: 'UDP', port: 'dns' }, { protocol: 'SCTP' }] },
      ],
    },
  ]);
  const from = pod(u, 'dev', 'a', 'web');
  const to = pod(u, 'dev', 'b', 'db');
  it('defaults protocol to TCP and honours endPort ranges', () => {
    expect(evaluate(u, from, to, 8000).allowed).toBe(true);
    expect(evaluate(u, from, to, 8100).allowed).toBe(true);
    expect(evaluate(u, from, to, 8101).allowed).toBe(false);
    expect(evaluate(u, from, to, 8080, 'UDP').allowed).toBe(false);
  });
  it('resolves named ports on the destination pod, with their protocol', () => {
    expect(evaluate(u, from, to, 53, 'UDP').allowed).toBe(true);
    expect(evaluate(u, from, to, 54, 'UDP').allowed).toBe(false);
    expect(evaluate(u, from, to, 53, 'TCP').allowed).toBe(false);
  });
  it('a port entry without a port number allows every port of its protocol', () => {
    expect(evaluate(u, from, to, 9999, 'SCTP').allowed).toBe(true);
  });
});

describe('query', () => {
  const u = world([]);
  it('resolves endpoints and ports, or says what is wrong', () => {
    expect(query(u, { from: 'dev/a/web', to: 'dev/b/db:8080' })).toMatchObject({
      allowed: true,
      port: 8080,
      from: 'dev/a/web',
      to: 'dev/b/db',
    });
    expect(query(u, { from: 'dev/a/web', to: 'dev/b/db' })).toMatchObject({ port: 8080 });
    expect(query(u, { from: 'dev/a/web', to: '[2001:db8::1]:443' })).toMatchObject({
      to: '2001:db8::1',
      port: 443,
    });
    expect(query(u, { from: 'dev/web', to: 'dev/b/db' })).toEqual({
      error: expect.stringContaining('several namespaces'),
    });
    expect(query(u, { from: 'qa/web', to: 'dev/b/db' })).toEqual({
      error: expect.stringContaining('unknown environment "qa"'),
    });
    expect(query(u, { from: 'dev/a/web', to: 'dev/b/db:99999' })).toEqual({
      error: expect.stringContaining('1-65535'),
    });
    expect(query(u, { from: 'dev/a/web', to: '192.0.2.1' })).toEqual({
      error: expect.stringContaining('no port'),
    });
    expect(query(u, { from: 'dev/c/web', to: 'dev/b/db' })).toEqual({
      error: expect.stringContaining('unknown namespace "c"'),
    });
  });
  it('builds an unlabelled pod for <env>/<namespace>/*', () => {
    const v = query(u, { from: 'dev/a/*', to: 'dev/b/db:8080' });
    expect(v).toMatchObject({ from: 'dev/a/*' });
  });
});
