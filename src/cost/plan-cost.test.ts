import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PriceCatalogue, parseCatalogue } from './catalogue.js';
import { budgetNote, planCostLine } from './format.js';
import { type PlanResourceChange, planCost } from './plan-cost.js';

const parsed = parseCatalogue(
  JSON.parse(readFileSync(new URL('../../test/fixtures/prices/catalogue.json', import.meta.url), 'utf8')),
);
if (!('catalogue' in parsed)) throw new Error(parsed.error);
const CAT: PriceCatalogue = parsed.catalogue;
const today = '2026-12-02';

/** linode_lke_cluster values as `terraform show -json` prints them (nested blocks are lists). */
const cluster = (o: { ha?: boolean; gpu?: number; region?: string }) => ({
  label: 'acme-production',
  region: o.region ?? 'us-ord',
  k8s_version: '1.33',
  control_plane: [{ high_availability: o.ha ?? true, audit_logs_enabled: true, acl: [{ enabled: true }] }],
  pool: [
    { label: 'general', type: 'g6-dedicated-8', count: 4, autoscaler: [{ min: 4, max: 10 }] },
    { label: 'gpu', type: 'g2-gpu-rtx4000a1-s', count: o.gpu ?? 1, autoscaler: [{ min: 1, max: 3 }] },
  ],
});
const db = (type: string) => ({
  label: 'acme-production-pg',
  region: 'us-ord',
  type,
  cluster_size: 3,
  engine_id: 'postgresql/16',
});
const rc = (
  address: string,
  type: string,
  actions: string[],
  before: unknown,
  after: unknown,
): PlanResourceChange => ({
  address,
  type,
  mode: 'managed',
  change: { actions, before, after },
});
const ingressValues = 'controller:\n  service:\n    type: LoadBalancer\n';

describe('plan cost from resource changes', () => {
  const base = [
    rc(
      'module.data_services.linode_database_postgresql_v2.this[0]',
      'linode_database_postgresql_v2',
      ['no-op'],
      db('g6-dedicated-4'),
      db('g6-dedicated-4'),
    ),
    rc(
      'module.ingress.helm_release.ingress_nginx',
      'helm_release',
      ['no-op'],
      { name: 'ingress-nginx', values: [ingressValues] },
      { name: 'ingress-nginx', values: [ingressValues] },
    ),
  ];

  it('a GPU pool scaled from 1 to 4 nodes costs +3 × the GPU plan', () => {
    const c = planCost(
      [
        ...base,
        rc(
          'module.cluster.linode_lke_cluster.this',
          'linode_lke_cluster',
          ['update'],
          cluster({ gpu: 1 }),
          cluster({ gpu: 4 }),
        ),
      ],
      CAT,
      { today },
    );
    expect(c.delta).toBe(3 * 350);
    // before: 4 × 144 + 350 + HA 60 + db 408 + NodeBalancer 10 = 1404
    expect(c.monthlyBefore).toBe(1404);
    expect(c.monthlyAfter).toBe(1404 + 1050);
    expect(c.resources.map((r) => [r.address, r.delta])).toEqual([
      ['module.cluster.linode_lke_cluster.this', 1050],
    ]);
    expect(planCostLine('production', c)).toBe('production: +$1,050.00/mo ($1,404.00 → $2,454.00 per month)');
  });

  it('HA on adds the HA control plane price, in the cluster region', () => {
    const c = planCost(
      [
        rc(
          'module.cluster.linode_lke_cluster.this',
          'linode_lke_cluster',
          ['update'],
          cluster({ ha: false, region: 'br-gru' }),
          cluster({ ha: true, region: 'br-gru' }),
        ),
      ],
      CAT,
      { today },
    );
    expect(c.delta).toBe(84);
  });

  it('a database resize costs the difference between the two cluster prices', () => {
    const c = planCost(
      [
        rc(
          'module.data_services.linode_database_postgresql_v2.this[0]',
          'linode_database_postgresql_v2',
          ['update'],
          db('g6-dedicated-4'),
          db('g6-dedicated-8'),
        ),
      ],
      CAT,
      { today },
    );
    expect(c.delta).toBe(816 - 408);
  });

  it('a change that only touches Kubernetes objects costs 0', () => {
    const secret = (v: string) => ({
      metadata: [{ name: 'postgres-connection', namespace: 'team-a' }],
      data: { host: v },
    });
    const c = planCost(
      [
        ...base,
        rc(
          'module.data_services.kubernetes_secret_v1.postgres_connection["team-a"]',
          'kubernetes_secret_v1',
          ['update'],
          secret('a'),
          secret('b'),
        ),
      ],
      CAT,
      { today },
    );
    expect(c.delta).toBe(0);
    expect(c.resources).toEqual([]);
    expect(c.monthlyAfter).toBe(418);
  });

  it('prices Helm releases by the volumes and LoadBalancer Services in their values', () => {
    const prom = (gi: number) => ({
      name: 'kube-prometheus-stack',
      values: [
        `prometheus:\n  prometheusSpec:\n    replicas: 2\n    storageSpec:\n      volumeClaimTemplate:\n        spec:\n          resources:\n            requests:\n              storage: ${gi}Gi\n`,
      ],
    });
    const c = planCost(
      [
        rc(
          'module.observability.helm_release.kube_prometheus_stack',
          'helm_release',
          ['update'],
          prom(20),
          prom(120),
        ),
      ],
      CAT,
      { today, region: 'us-ord' },
    );
    expect(c.delta).toBe(2 * 100 * 0.1);
  });

  it('a LoadBalancer Service attached to a NodeBalancer Terraform creates is not counted twice', () => {
    const release = {
      name: 'ingress-nginx',
      values: [ingressValues],
      set: [
        {
          name: 'controller.service.annotations.service\\.beta\\.kubernetes\\.io/linode-loadbalancer-nodebalancer-id',
          value: '1234',
        },
      ],
    };
    const c = planCost(
      [
        rc('module.network.linode_nodebalancer.ingress', 'linode_nodebalancer', ['create'], null, {
          label: 'acme-production-ingress',
          region: 'us-ord',
        }),
        rc('module.ingress.helm_release.ingress_nginx', 'helm_release', ['create'], null, release),
      ],
      CAT,
      { today },
    );
    expect(c.delta).toBe(10);
    expect(c.resources.map((r) => r.address)).toEqual(['module.network.linode_nodebalancer.ingress']);
  });

  it('a destroy and a create count fully; unknown prices are named', () => {
    const c = planCost(
      [
        rc(
          'linode_nodebalancer.extra',
          'linode_nodebalancer',
          ['delete'],
          { label: 'extra', region: 'us-ord' },
          null,
        ),
        rc('linode_volume.scratch', 'linode_volume', ['create'], null, {
          label: 'scratch',
          region: 'us-ord',
          size: 5,
        }),
        rc('linode_lke_node_pool.big', 'linode_lke_node_pool', ['create'], null, {
          label: 'big',
          type: 'g8-huge-1',
          node_count: 2,
        }),
      ],
      CAT,
      { today },
    );
    // -10 (NodeBalancer) + 10 GB minimum volume × 0.10 = -9; the pool's plan has no price
    expect(c.delta).toBe(-9);
    expect(c.unknown).toEqual([
      { name: 'pool big: 2 × g8-huge-1', priceKey: 'linode/g8-huge-1', region: '' },
    ]);
  });

  it('flags a change that crosses the budget', () => {
    const changes = [
      ...base,
      rc(
        'module.cluster.linode_lke_cluster.this',
        'linode_lke_cluster',
        ['update'],
        cluster({ gpu: 1 }),
        cluster({ gpu: 4 }),
      ),
    ];
    const c = planCost(changes, CAT, { today, budget: 2000 });
    expect(c.budget).toEqual({ monthly: 2000, before: 'under', after: 'over', crosses: true });
    expect(budgetNote(c)).toBe('crosses the budget: $2,454.00 of $2,000.00 (123%)');
    expect(planCost(changes, CAT, { today, budget: 2700 }).budget?.after).toBe('warn');
    expect(planCost(changes, CAT, { today, budget: 5000 }).budget?.crosses).toBe(false);
  });
});
