/**
 * Isolation proven with `envc traffic`'s evaluator over the generated NetworkPolicies of the default spec
 * (all environments in one flat network, the worst case): every cross-environment pair is denied on both
 * sides, every namespace denies by default, and every allow the spec declares is reachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedNamespaces, PLATFORM } from '../../src/compiler/emitters/kubernetes/platform.js';
import {
  holdsObjectStorageKey,
  postgresEgressManifests,
} from '../../src/compiler/emitters/kubernetes/service-policies.js';
import type { Model } from '../../src/compiler/model.js';
import { parseIp } from '../../src/traffic/cidr.js';
import { type Endpoint, evaluate } from '../../src/traffic/evaluate.js';
import { universeFromModel } from '../../src/traffic/source.js';
import type { Pod, Universe } from '../../src/traffic/universe.js';
import { buildUniverse, objectsFromFiles } from '../../src/traffic/universe.js';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH, defaultModel, defaultSpecObject, modelFromSpec } from '../support/model.js';

let model: Model;
let u: Universe;
beforeAll(async () => {
  model = await defaultModel();
  u = await universeFromModel(model);
});

const pod = (p: Pod): Endpoint => ({ kind: 'pod', pod: p });
const stranger = (env: string, namespace: string): Pod => ({
  env,
  namespace,
  name: '*',
  labels: {},
  ports: [],
  kind: 'any',
});
const anyPod = (env: string, namespace: string): Endpoint => pod(stranger(env, namespace));
const ext = (ip: string): Endpoint => ({ kind: 'external', ip: parseIp(ip)!, text: ip });
const find = (env: string, name: string) => u.pods.find((p) => p.env === env && p.name === name)!;

/** Every port a pod in the universe listens on, plus a few common ones. */
function probePorts(p: Pod): number[] {
  return [...new Set([...p.ports.map((x) => x.port), 53, 80, 443, 5432, 6379, 8080])];
}

describe('traffic: no path between environments', () => {
  it('denies every pod-to-pod pair across environments, on the egress and on the ingress side', () => {
    const pods = [...u.pods, ...[...u.namespaces.values()].map((n) => stranger(n.env, n.name))];
    let pairs = 0;
    for (const a of pods) {
      for (const b of pods) {
        if (a.env === b.env) continue;
        for (const port of probePorts(b)) {
          const v = evaluate(u, pod(a), pod(b), port);
          pairs++;
          expect(v.allowed, `${v.from} -> ${v.to}:${port} ${v.reason}`).toBe(false);
          // Each side denies on its own: a mistake in one environment's policies would not open the path.
          expect(v.egress.allowed && v.ingress.allowed).toBe(false);
          expect(v.ingress.allowed, `ingress ${v.from} -> ${v.to}:${port}: ${v.ingress.allowedBy}`).toBe(
            false,
          );
        }
      }
    }
    expect(pairs).toBeGreaterThan(5000);
  });
});

describe('traffic: default deny', () => {
  it('isolates every namespace envc manages: an unlabelled pod can neither receive nor send (except DNS)', () => {
    for (const env of model.environments) {
      for (const ns of managedNamespaces(env)) {
        const nobody = anyPod(env.name, ns.name);
        const v = evaluate(u, ext('203.0.113.50'), nobody, 8080);
        expect(v.allowed, `${env.name}/${ns.name}`).toBe(false);
        expect(v.decidedBy).toBe(`${env.name}/${ns.name}/default-deny-all`);
        expect(evaluate(u, nobody, ext('198.18.0.1'), 8080).allowed, `${env.name}/${ns.name} egress`).toBe(
          false,
        );
        // Pods in the same namespace do not reach each other either, unless a policy says so.
        const neighbour = u.pods.find(
          (p) => p.env === env.name && p.namespace === ns.name && p.kind === 'service',
        );
        if (neighbour)
          expect(evaluate(u, nobody, pod(neighbour), neighbour.ports[0]!.port).allowed).toBe(false);
      }
    }
  });
});

describe('traffic: declared allows are reachable', () => {
  it('the internet reaches the ingress controller, which reaches every service with an ingress', () => {
    for (const env of model.environments) {
      const ingress = find(env.name, 'ingress-nginx');
      expect(evaluate(u, ext('198.51.100.77'), pod(ingress), 443).allowed).toBe(true);
      for (const s of env.services.filter((x) => x.ingress)) {
        const v = evaluate(u, pod(ingress), pod(find(env.name, s.name)), s.port);
        expect(v, `${env.name}/${s.name}`).toMatchObject({
          allowed: true,
          decidedBy: `${env.name}/${s.namespace}/allow-${s.name}`,
        });
        // Only the service port: not the metrics port.
        if (s.metrics)
          expect(evaluate(u, pod(ingress), pod(find(env.name, s.name)), s.metrics.port).allowed).toBe(false);
      }
    }
  });

  it('the environment’s Prometheus scrapes each service’s metrics port', () => {
    for (const env of model.environments) {
      for (const s of env.services.filter((x) => x.metrics)) {
        expect(
          evaluate(u, pod(find(env.name, 'prometheus')), pod(find(env.name, s.name)), s.metrics!.port)
            .allowed,
          `${env.name}/${s.name}`,
        ).toBe(true);
      }
    }
  });

  it('services reach DNS, Redis, PostgreSQL and tracing where they use them, and the egress allowlist', () => {
    const dnsPod: Endpoint = {
      kind: 'pod',
      pod: {
        env: 'production',
        namespace: 'kube-system',
        name: 'coredns',
        labels: { 'k8s-app': 'kube-dns' },
        ports: [],
        kind: 'any',
      },
    };
    u.namespaces.set('production/kube-system', {
      env: 'production',
      name: 'kube-system',
      labels: { 'kubernetes.io/metadata.name': 'kube-system' },
    });
    try {
      for (const env of model.environments) {
        for (const s of env.services) {
          const me = pod(find(env.name, s.name));
          if (env.name === 'production') expect(evaluate(u, me, dnsPod, 53, 'UDP').egress.allowed).toBe(true);
          if (s.dataServices.includes('redis'))
            expect(
              evaluate(u, me, pod(find(env.name, 'redis')), 6379).allowed,
              `${env.name}/${s.name} redis`,
            ).toBe(true);
          // No PostgreSQL port is hard-coded: the database's own policy comes at apply time (below).
          if (s.dataServices.includes('postgres'))
            expect(evaluate(u, me, ext('172.105.0.10'), 5432).allowed).toBe(false);
          expect(evaluate(u, me, pod(find(env.name, 'tempo')), 4318).allowed).toBe(true);
          for (const entry of env.network.egressAllowlist) {
            const first = entry.cidrs[0]!.replace(/\.0\/\d+$/, '.10').replace(/\/0$/, '');
            for (const port of entry.ports)
              expect(
                evaluate(u, me, ext(first === '0.0.0.0' ? '203.0.113.9' : first), port).allowed,
                `${env.name}/${s.name} -> ${entry.name}`,
              ).toBe(true);
          }
          // But not anywhere else on the internet (HTTPS only for a holder of an Object Storage key, whose
          // endpoint's addresses NetworkPolicy cannot name), nor another port.
          expect(evaluate(u, me, ext('203.0.113.200'), 443).allowed).toBe(holdsObjectStorageKey(env, s));
          expect(evaluate(u, me, ext('203.0.113.200'), 8443).allowed).toBe(false);
        }
      }
    } finally {
      u.namespaces.delete('production/kube-system');
    }
  });

  it('Redis in `data` admits the services that declare it — Sentinel too where it runs — and nothing else', async () => {
    // The default spec plus a service in the same namespace that does not use Redis.
    const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
    spec.services.push({
      name: 'no-cache',
      owner: 'team-a',
      image: 'ghcr.io/acme/no-cache:1.0.0',
      port: 8080,
      environments: ['development', 'production'],
    });
    const m = await modelFromSpec(spec);
    const w = await universeFromModel(m);
    const at = (env: string, name: string) => pod(w.pods.find((p) => p.env === env && p.name === name)!);
    for (const env of ['development', 'production']) {
      const redis = at(env, 'redis');
      const sentinel = m.environments.find((e) => e.name === env)!.dataServices.redis!.replicas > 1;
      const ok = evaluate(w, at(env, 'sample-service'), redis, 6379);
      expect(ok, `${env}: sample-service -> redis`).toMatchObject({
        allowed: true,
        decidedBy: `${env}/data/allow-redis`,
      });
      expect(ok.egress.allowedBy).toBe(`${env}/team-a/allow-sample-service`);
      expect(evaluate(w, at(env, 'sample-service'), redis, 26379).allowed, `${env} sentinel`).toBe(sentinel);
      // Not a neighbour that does not declare Redis, not an unlabelled pod, not another namespace's pod.
      const neighbour = evaluate(w, at(env, 'no-cache'), redis, 6379);
      expect(neighbour.allowed).toBe(false);
      expect(neighbour.ingress.allowed).toBe(false);
      expect(evaluate(w, anyPod(env, 'team-a'), redis, 6379).allowed).toBe(false);
      expect(evaluate(w, pod(stranger(env, 'monitoring')), redis, 6379).allowed).toBe(false);
      // Only the Redis ports: the service cannot reach anything else in `data`.
      expect(evaluate(w, at(env, 'sample-service'), redis, 9121).allowed).toBe(false);
      // Prometheus scrapes the exporter.
      expect(evaluate(w, at(env, 'prometheus'), redis, 9121).allowed, `${env} scrape`).toBe(true);
      // Redis pods replicate among themselves, and reach nothing else.
      expect(evaluate(w, redis, redis, 6379).allowed).toBe(true);
      expect(evaluate(w, redis, at(env, 'sample-service'), 8080).allowed).toBe(false);
      expect(evaluate(w, redis, ext('203.0.113.9'), 443).allowed).toBe(false);
    }
    // And Redis of one environment is out of reach from another's services.
    expect(evaluate(w, at('development', 'sample-service'), at('production', 'redis'), 6379).allowed).toBe(
      false,
    );
  });

  it('the bot in system reaches Slack and the APIs; ArgoCD and Grafana are reachable through the ingress controller', () => {
    expect(evaluate(u, pod(find('system', 'envc-bot')), ext('203.0.113.20'), 443).allowed).toBe(true);
    expect(
      evaluate(u, pod(find('system', 'ingress-nginx')), pod(find('system', 'argocd-server')), 8080).allowed,
    ).toBe(true);
    expect(
      evaluate(u, pod(find('system', 'ingress-nginx')), pod(find('system', 'grafana')), 3000).allowed,
    ).toBe(true);
    expect(
      evaluate(u, pod(find('system', 'prometheus')), pod(find('system', 'envc-bot')), 3000).allowed,
    ).toBe(true);
    // ArgoCD's server is not reachable from the internet directly, only through the controller.
    expect(evaluate(u, ext('198.51.100.1'), pod(find('system', 'argocd-server')), 8080).allowed).toBe(false);
    expect(u.pods.some((p) => p.namespace === PLATFORM.argocd && p.env !== 'system')).toBe(false);
  });
});

describe('envc traffic (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'envc-traffic-'));
    const r = envc(['compile', DEFAULT_SPEC_PATH, '--out', join(dir, 'generated')], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('denies production → staging and names the deciding policy (exit 1)', () => {
    const r = envc(
      ['traffic', '--from', 'production/sample-service', '--to', 'staging/sample-service:8080'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'deny production/team-a/sample-service -> staging/team-a/sample-service TCP/8080',
    );
    expect(r.stdout).toContain('decided by: production/team-a/default-deny-all');
    expect(r.stdout).toContain(join(dir, 'generated', 'kubernetes'));
  });

  it('allows the ingress controller to the service and says which policy allows it (exit 0, --json)', () => {
    const r = envc(
      ['traffic', '--from', 'production/ingress-nginx', '--to', 'production/sample-service', '--json'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as {
      verdict: string;
      port: number;
      decidedBy: string;
      egress: { allowedBy: string };
    };
    expect(v).toMatchObject({
      verdict: 'allow',
      port: 8080,
      decidedBy: 'production/team-a/allow-sample-service',
    });
    expect(v.egress.allowedBy).toBe('production/ingress-nginx/allow-ingress-controller');
  });

  it('computes the policies in memory from the spec when asked (same answer)', () => {
    const r = envc(
      [
        'traffic',
        '--spec',
        DEFAULT_SPEC_PATH,
        '--from',
        'staging/sample-service',
        '--to',
        '192.0.2.10:443',
        '--json',
      ],
      { cwd: tmpdir() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      verdict: 'allow',
      decidedBy: 'staging/team-a/allow-egress-payment-sandbox',
    });
  });

  it('shows a Redis user allowed to Redis (and Sentinel) in data, and every other pod of its namespace denied', () => {
    const allowed = envc(
      ['traffic', '--from', 'production/sample-service', '--to', 'production/redis:26379', '--json'],
      { cwd: dir },
    );
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      verdict: 'allow',
      port: 26379,
      decidedBy: 'production/data/allow-redis',
    });
    const denied = envc(['traffic', '--from', 'production/team-a/*', '--to', 'production/redis:6379'], {
      cwd: dir,
    });
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('deny production/team-a/* -> production/data/redis TCP/6379');
  });

  it('explains an unknown endpoint as a usage error (exit 64)', () => {
    const r = envc(['traffic', '--from', 'prod/sample-service', '--to', 'staging/sample-service'], {
      cwd: dir,
    });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(
      'unknown environment "prod" (known: development, production, staging, system)',
    );
  });
});

describe('traffic: managed PostgreSQL at the port Linode reports', () => {
  it('reaches the database members on their port once Terraform writes the policy, and nothing else', async () => {
    const { kubernetesEmitter } = await import('../../src/compiler/emitters/kubernetes/index.js');
    const { files } = await kubernetesEmitter.emit(model, { envcVersion: 'traffic' });
    const prod = model.environments.find((e) => e.name === 'production')!;
    const db = { port: 25432, addresses: ['172.105.0.10', '172.105.0.11'] };
    const withDb = buildUniverse([...objectsFromFiles(files), ...postgresEgressManifests(prod, db)]);
    const me = pod(withDb.pods.find((p) => p.env === 'production' && p.name === 'sample-service')!);
    expect(evaluate(withDb, me, ext('172.105.0.11'), 25432).allowed).toBe(true);
    expect(evaluate(withDb, me, ext('172.105.0.11'), 5432).allowed).toBe(false);
    expect(evaluate(withDb, me, ext('172.105.0.99'), 25432).allowed).toBe(false);
    // A pod of the namespace that does not use PostgreSQL gets nothing from it.
    expect(evaluate(withDb, anyPod('production', 'team-a'), ext('172.105.0.11'), 25432).allowed).toBe(false);
  });
});
