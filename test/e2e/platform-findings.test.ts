/**
 * Issue 11's fifteen findings, each brought back into the shipped platform by one change (to the spec, or to
 * one element of the generated model), and the diagnostic `envc verify` then gives: code, spec line, layer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { compileText } from '../../src/compiler/pipeline.js';
import type { PlatformFacts } from '../../src/compiler/platform/facts.js';
import { checkFlows } from '../../src/compiler/platform/flow-check.js';
import { verifyFacts } from '../../src/compiler/platform/verify.js';
import { rules } from '../../src/compiler/rules/index.js';
import {
  errors,
  factsOf,
  lineOf,
  SPEC,
  withNetwork,
  withPolicies,
  withResources,
  withValues,
} from '../support/platform-facts.js';

let base: PlatformFacts;
beforeAll(async () => {
  base = await factsOf(SPEC);
}, 180_000);

const verify = (f: PlatformFacts, bootstraps = true) =>
  errors(verifyFacts(f, { bootstrapsStateBucket: bootstraps }).diagnostics);

function expectFinding(diags: Diagnostic[], code: string, line: number, ...words: string[]): Diagnostic {
  const hit = diags.find(
    (d) => d.code === code && d.line === line && words.every((w) => d.message.includes(w)),
  );
  if (!hit)
    throw new Error(
      `no ${code} at line ${line} mentioning ${words.join(', ')}; got:\n${diags.map((d) => `${d.line} ${d.code} ${d.message}`).join('\n')}`,
    );
  expect(hit.file).toBe('environments.yaml');
  expect(hit.docs).toBe(`docs/rules/${code}.md`);
  return hit;
}

const env = (name: string) => base.model.environments.find((e) => e.name === name)!;

/** The policies that carry a needed flow today; removing them must block it. */
function allowingPolicies(title: RegExp): string[] {
  const flows = checkFlows(base).results.filter((r) => title.test(r.flow.title));
  expect(flows.length).toBeGreaterThan(0);
  return flows.flatMap((r) =>
    r.verdicts.filter((v) => v.layer === 'network-policy').flatMap((v) => v.allowedBy),
  );
}

const withoutPolicies = (ids: string[]) =>
  withPolicies(base, (ps) => ps.filter((p) => !ids.includes(`${p.env}/${p.namespace}/${p.name}`)));

describe('issue 11 findings, brought back one at a time', () => {
  it('1: a root cannot initialise its s3 backend in a bucket nobody created yet', () => {
    const d = verify(base, false);
    const line = base.model.stateBackend.origin.line;
    expect(SPEC.split('\n')[line - 1]).toContain('stateBackend');
    expectFinding(d, 'ENVC2501', line, 'acme-tfstate', 'terraform init');
  });

  it('2: a release enabling ServiceMonitors without waiting for kube-prometheus-stack', () => {
    const f = withResources(base, (r, e) =>
      e === 'production' && r.address.endsWith('helm_release.ingress_nginx')
        ? {
            ...r,
            deps: r.deps.filter(
              (d) =>
                !d.includes('kube_prometheus_stack') &&
                !d.includes('prometheus_operator_crds') &&
                !d.includes('observability'),
            ),
          }
        : r,
    );
    expectFinding(verify(f), 'ENVC2502', env('production').origin.line, 'ingress-nginx', 'ServiceMonitor');
  });

  it('3: Grafana waiting for an admin Secret nothing has produced yet', () => {
    const f = withValues(base, 'production/kube-prometheus-stack', (v) => {
      (v.grafana as Record<string, unknown>).admin = { existingSecret: 'grafana-admin-sealed-later' };
    });
    expectFinding(
      verify(f),
      'ENVC2503',
      env('production').origin.line,
      'grafana-admin-sealed-later',
      'kube-prometheus-stack',
    );
  });

  it('4: a control-plane ACL of office ranges only shuts out ArgoCD, the bot and CI', () => {
    const f = withNetwork(base, 'production', (n) => {
      n.acl.ipv4 = ['203.0.113.0/24'];
      n.acl.ipv6 = [];
    });
    const d = verify(f);
    const line = env('production').cluster.controlPlaneAcl.origin!.line;
    expect(SPEC.split('\n')[line - 1]).toContain('controlPlaneAcl');
    for (const who of ['ArgoCD', 'envc bot', 'CI'])
      expectFinding(d, 'ENVC2601', line, 'control-plane-acl', who);
  });

  it('5: the node firewall without LKE defaults (Typha) and with DNS over UDP only', () => {
    const f = withNetwork(base, 'production', (n) => {
      const covers = (ports: string | undefined, port: number) =>
        ports === undefined ||
        ports.split(',').some((p) => {
          const [a, b] = p.split('-').map(Number);
          return b === undefined ? a === port : port >= a! && port <= b;
        });
      n.firewall.inbound = n.firewall.inbound.filter((r) => !(r.protocol === 'TCP' && covers(r.ports, 5473)));
      n.firewall.outbound = n.firewall.outbound.filter((r) => !(r.protocol === 'TCP' && covers(r.ports, 53)));
    });
    const d = verify(f);
    const line = env('production').network.firewall.origin.line;
    expectFinding(d, 'ENVC2604', line, 'cloud-firewall', 'Calico Typha', '5473');
    expectFinding(d, 'ENVC2604', line, 'cloud-firewall', 'DNS resolution (TCP');
  });

  describe('6: managed PostgreSQL unreachable three ways', () => {
    const line = () => env('production').dataServices.postgres!.origin.line;
    it('an empty allow_list', () => {
      const f = withNetwork(base, 'production', (n) => {
        n.postgres = { allowList: [] };
      });
      expectFinding(verify(f), 'ENVC2601', line(), 'database-allow-list', 'empty');
    });
    it('no firewall egress to it', () => {
      const f = withNetwork(base, 'production', (n) => {
        n.firewall.outbound = n.firewall.outbound.filter(
          (r) => r.protocol !== 'TCP' || r.ports === '443' || r.ports === '53',
        );
      });
      expectFinding(verify(f), 'ENVC2601', line(), 'cloud-firewall', 'PostgreSQL');
    });
    it('a NetworkPolicy hard-coding 5432 while Linode reports another port', () => {
      const f = withPolicies(
        withResources(base, (r) =>
          r.type === 'kubernetes_manifest' && r.address.includes('postgres_egress') ? undefined : r,
        ),
        (ps) => ps,
      );
      expectFinding(verify(f), 'ENVC2601', line(), 'network-policy', 'port 18000');
    });
  });

  it('7: an Ingress host without a DNS record', () => {
    const f = withNetwork(
      withValues(base, 'production/external-dns', (v) => {
        v.domainFilters = [];
      }),
      'production',
      (n) => {
        n.dns.records = n.dns.records.filter((r) => r.name !== 'sample' && r.name !== '*');
      },
    );
    const line = env('production').services[0]!.ingress!.origin.line;
    expectFinding(verify(f), 'ENVC2603', line, 'dns', 'sample.acme.example');
  });

  it('8: ingress-nginx may not reach the HTTP-01 solver', () => {
    const ids = allowingPolicies(/^ingress-nginx → cert-manager's HTTP-01 solver in monitoring/).filter(
      (id) => id.startsWith('production/'),
    );
    const d = verify(withoutPolicies(ids));
    expect(
      d.some(
        (x) =>
          x.code === 'ENVC2601' &&
          /network-policy.*HTTP-01 solver in monitoring/.test(x.message) &&
          x.message.includes('production'),
      ),
    ).toBe(true);
  });

  it('9: Prometheus may not scrape CoreDNS; the operator webhook is unreachable', () => {
    const scrape = allowingPolicies(/^Prometheus → CoreDNS/).filter((id) => id.startsWith('production/'));
    const hook = allowingPolicies(/admission webhook prometheus-operator/).filter((id) =>
      id.startsWith('production/'),
    );
    const d = verify(withoutPolicies([...scrape, ...hook]));
    const line = env('production').origin.line;
    expectFinding(
      d,
      'ENVC2601',
      line,
      'network-policy',
      'CoreDNS metrics',
      'production/monitoring/prometheus',
    );
    expectFinding(d, 'ENVC2601', line, 'network-policy', 'prometheus-operator');
  });

  it('10: no egress to Object Storage for a service holding an Object Storage key', () => {
    const ids = allowingPolicies(/^sample-service → Object Storage/).filter((id) =>
      id.startsWith('production/'),
    );
    const d = verify(withoutPolicies(ids));
    const line = base.model.serviceOrigins['sample-service']!.line;
    expect(
      d.some(
        (x) =>
          x.code === 'ENVC2601' &&
          x.line === line &&
          x.message.includes('Object Storage') &&
          x.message.includes('production/team-a/sample-service'),
      ),
    ).toBe(true);
  });

  it('the rules of findings 11 and 15a are registered', () => {
    expect(rules.map((r) => r.code)).toEqual(expect.arrayContaining(['ENVC2040', 'ENVC2043']));
  });

  it('11: two Redis Sentinels with quorum 2 can never fail over', async () => {
    const start = SPEC.indexOf('\n  staging:');
    const text =
      SPEC.slice(0, start) + SPEC.slice(start).replace(/redis: \{ replicas: \d+/, 'redis: { replicas: 2');
    const r = await compileText(text, 'environments.yaml', { today: '2026-12-01' });
    const d = r.diagnostics.find((x) => x.code === 'ENVC2040');
    expect(d?.severity).toBe('error');
    expect(d?.line).toBe(lineOf('redis: {', '  staging:'));
  });

  it('12: audit logs (an LKE Enterprise field) on a standard cluster', () => {
    const f = withResources(base, (r, e) => {
      if (e !== 'production' || r.type !== 'linode_lke_cluster') return r;
      const audit = r.block.blocks.find((b) => b.type === 'control_plane')?.attrs.audit_logs_enabled;
      const value = r.value;
      return { ...r, value: (x, each) => (x !== undefined && x === audit ? true : value(x, each)) };
    });
    expectFinding(verify(f), 'ENVC2550', env('production').cluster.origin.line, 'audit_logs_enabled');
  });

  it('13: kubernetes and helm providers configured from a cluster created in the same root', () => {
    const f = {
      ...base,
      roots: base.roots.map((root) => {
        const cluster = root.resources.find((r) => r.type === 'linode_lke_cluster');
        if (root.env !== 'production' || !cluster) return root;
        return {
          ...root,
          providers: root.providers.map((p) =>
            p.key === 'helm' || p.key === 'kubernetes' ? { ...p, refs: [...p.refs, cluster.address] } : p,
          ),
        };
      }),
    };
    const withCluster = f.roots.some(
      (r) =>
        r.env === 'production' &&
        r.resources.some((x) => x.type === 'linode_lke_cluster') &&
        r.providers.some((p) => p.key === 'helm'),
    );
    if (!withCluster) {
      // Two roots: the in-cluster providers live where no cluster is created; bring the cluster into that root.
      const platform = base.roots.find(
        (r) => r.env === 'production' && r.providers.some((p) => p.key === 'helm'),
      )!;
      const cluster = base.roots.flatMap((r) => r.resources).find((x) => x.type === 'linode_lke_cluster')!;
      const moved = {
        ...base,
        roots: base.roots.map((r) =>
          r === platform
            ? {
                ...r,
                resources: [...r.resources, cluster],
                providers: r.providers.map((p) => ({ ...p, refs: [...p.refs, cluster.address] })),
              }
            : r,
        ),
      };
      expectFinding(
        verify(moved),
        'ENVC2504',
        env('production').cluster.origin.line,
        'helm provider',
        'same root',
      );
      return;
    }
    expectFinding(verify(f), 'ENVC2504', env('production').cluster.origin.line, 'helm provider', 'same root');
  });

  it("15a: Alertmanager's Watchdog without a dead-man's switch", async () => {
    const text = SPEC.replace(/\n\s*heartbeatUrl: .*/g, '');
    const r = await compileText(text, 'environments.yaml', { today: '2026-12-01' });
    expect(r.diagnostics.some((d) => d.code === 'ENVC2043')).toBe(true);
  });

  it("15c: production's DNS zone and firewall without prevent_destroy", () => {
    const g = withResources(base, (r, e) =>
      e === 'production' && (r.type === 'linode_domain' || r.type === 'linode_firewall')
        ? { ...r, block: { ...r.block, blocks: r.block.blocks.filter((b) => b.type !== 'lifecycle') } }
        : r,
    );
    const d = verify(g);
    expectFinding(
      d,
      'ENVC2552',
      env('production').network.dns.origin.line,
      'linode_domain',
      'prevent_destroy',
    );
    expectFinding(
      d,
      'ENVC2552',
      env('production').network.firewall.origin.line,
      'linode_firewall',
      'prevent_destroy',
    );
  });
});
