import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../../test/support/model.js';
import { environment, type Model } from '../../model.js';
import { LKE_INBOUND_RULES, LKE_OUTBOUND_RULES } from './lke.js';
import { buildTfvars, createdPools, dnsRecordKeys, firewall } from './tfvars.js';

let model: Model;
beforeAll(async () => {
  model = await defaultModel();
});
const env = (name: string) => environment(model, name)!;
const plain = { argocdHost: false, stateHost: false };

describe('pools', () => {
  it('passes every pool of the spec (a count-0 pool is refused with ENVC3204, never dropped)', () => {
    expect(createdPools(env('development')).map((p) => p.name)).toEqual(['general', 'batch']);
    const tfvars = buildTfvars(model, env('development'), plain) as {
      cluster: { pools: Array<{ name: string }> };
    };
    expect(tfvars.cluster.pools.map((p) => p.name)).toEqual(['general', 'batch']);
  });

  it('lets the autoscaler own the node count, and writes the count of a pool without one', () => {
    const dev = structuredClone(env('development'));
    delete dev.cluster.pools[0]!.autoscaler;
    const pools = (buildTfvars(model, dev, plain) as { cluster: { pools: object[] } }).cluster.pools;
    expect(pools[0]).toEqual({
      name: 'general',
      type: 'g6-standard-4',
      count: 3,
      labels: { pool: 'general' },
      taints: [],
    });
    const prod = (buildTfvars(model, env('production'), plain) as { cluster: { pools: object[] } }).cluster
      .pools;
    expect(prod[1]).toEqual({
      name: 'gpu',
      type: 'g2-gpu-rtx4000a1-s',
      autoscaler: { min: 1, max: 3 },
      labels: { pool: 'gpu', accelerator: 'nvidia-rtx4000' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });
  });
});

describe('firewall', () => {
  it("keeps the spec's rules first, then the egress allowlist and the rules LKE needs", () => {
    const fw = firewall(env('development'));
    expect(fw.inbound.map((r) => r.label)).toEqual([
      'https',
      'http-redirect',
      'office-ssh',
      ...LKE_INBOUND_RULES.map((r) => r.label),
    ]);
    expect(fw.outbound.map((r) => r.label)).toEqual([
      'https-out',
      'dns-out',
      'dns-out-tcp',
      'egress-package-mirrors',
      ...LKE_OUTBOUND_RULES.map((r) => r.label),
    ]);
    expect(fw.outbound[3]).toEqual({
      label: 'egress-package-mirrors',
      action: 'ACCEPT',
      protocol: 'TCP',
      ports: '443',
      ipv4: ['198.51.100.0/26'],
      description: 'egress allowlist: package-mirrors',
    });
  });

  it('leaves out empty address lists (the API wants at least one address when the list is set)', () => {
    const ssh = firewall(env('development')).inbound.find((r) => r.label === 'office-ssh')!;
    expect(ssh).toEqual({
      label: 'office-ssh',
      action: 'ACCEPT',
      protocol: 'TCP',
      ports: '22',
      ipv4: ['203.0.113.0/24'],
    });
    expect('ipv6' in ssh).toBe(false);
  });

  it('keeps rule labels within 32 characters', () => {
    const e = structuredClone(env('development'));
    e.network.egressAllowlist[0]!.name = 'a-very-long-allowlist-name-that-goes-on-and-on';
    for (const r of firewall(e).outbound) expect(r.label.length).toBeLessThanOrEqual(32);
  });
});

describe('dns', () => {
  it('keys records by name and type, numbering repeats, so editing a target is an in-place update', () => {
    const e = structuredClone(env('production'));
    const o = e.network.dns.records[0]!.origin;
    e.network.dns.records.push(
      { name: '', type: 'TXT', target: 'other', ttl: 300, origin: o },
      { name: '*', type: 'A', target: '203.0.113.1', ttl: 300, origin: o },
    );
    expect(dnsRecordKeys(e)).toEqual(['apex-caa', 'apex-txt', 'apex-txt-2', 'wildcard-a']);
  });
});

describe('tags, secrets, data services, state backend', () => {
  it('passes only the tags besides the env/platform/managed-by/owner convention', () => {
    expect(buildTfvars(model, env('staging'), plain).extra_tags).toEqual(['cost-center:platform']);
  });

  it('records rotation metadata per secret, never a value', () => {
    const secrets = buildTfvars(model, env('production'), plain).secrets as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(secrets)).toEqual(['app-db', 'objstore-key', 'redis-credentials', 'session-key']);
    // The Redis password envc declares itself: sealed for Redis' own namespace and for its clients'.
    expect(secrets['redis-credentials']).toMatchObject({
      source: 'generated',
      rotate_every: '90d',
      namespaces: ['data', 'team-a'],
    });
    expect(secrets['objstore-key']).toEqual({
      source: 'linode-object-storage-key',
      rotate_every: '30d',
      grace_period: '24h',
      scope: 'strict',
      namespaces: ['team-a'],
      last_rotated_source:
        'annotation envc.io/rotated-at of SealedSecret objstore-key; history in the envc store',
    });
  });

  it('sizes PostgreSQL from the spec, with the maintenance window of the tier and the Secret it is reached through', () => {
    const pg = buildTfvars(model, env('production'), plain).postgres as Record<string, unknown>;
    expect(pg).toMatchObject({
      label: 'acme-production-pg',
      engine_id: 'postgresql/16',
      cluster_size: 3,
      // Terraform writes the connection Secret; the credentials stay in the rotated SealedSecret app-db.
      connection_secret: { name: 'postgres-connection', namespaces: ['team-a'] },
      credentials_secret: { name: 'app-db', namespaces: ['team-a'], keys: ['password', 'username'] },
    });
    // development declares no database-credentials secret: no credentials Secret to point at.
    expect(buildTfvars(model, env('development'), plain).postgres).toMatchObject({
      connection_secret: { name: 'postgres-connection', namespaces: ['team-a'] },
      credentials_secret: null,
    });
    expect(pg.maintenance).toEqual({ frequency: 'weekly', day_of_week: 7, hour_of_day: 3, duration: 3 });
    expect(
      (buildTfvars(model, env('staging'), plain).postgres as { maintenance: { day_of_week: number } })
        .maintenance.day_of_week,
    ).toBe(6);
    expect(buildTfvars(model, env('system'), plain).postgres).toBeUndefined();
  });

  it('wires Redis from the spec: where clients connect and the password Secret Terraform does not write', () => {
    expect(buildTfvars(model, env('development'), plain).redis).toEqual({
      namespace: 'data',
      replicas: 1,
      version: '7.4',
      host: 'redis.data.svc',
      port: 6379,
      sentinel_master_set: null,
      password_secret: { name: 'redis-credentials', key: 'password', namespaces: ['data', 'team-a'] },
    });
    expect(buildTfvars(model, env('production'), plain).redis).toMatchObject({
      replicas: 3,
      host: 'redis.data.svc',
      port: 26379,
      sentinel_master_set: 'mymaster',
    });
    expect(buildTfvars(model, env('system'), plain).redis).toBeUndefined();
  });

  it('gives every environment its own state bucket and key, each writer team one key, and a backup bucket only when separate', () => {
    const sb = buildTfvars(model, env('system'), { argocdHost: true, stateHost: true })
      .state_backend as Record<string, unknown>;
    expect(sb).toEqual({
      bucket: 'acme-tfstate',
      region: 'us-ord',
      key_prefix: 'envc',
      bootstrap_key_label: 'acme-tfstate-bootstrap',
      environments: {
        development: { bucket: 'acme-tfstate-development', key_label: 'acme-tfstate-development-envc' },
        production: { bucket: 'acme-tfstate-production', key_label: 'acme-tfstate-production-envc' },
        staging: { bucket: 'acme-tfstate-staging', key_label: 'acme-tfstate-staging-envc' },
        system: { bucket: 'acme-tfstate-system', key_label: 'acme-tfstate-system-envc' },
      },
      writers: { 'platform-team': ['development', 'production', 'staging', 'system'] },
    });
    const m = structuredClone(model);
    m.stateBackend.backupBucket = 'acme-backups';
    m.stateBackend.writers = ['envc-bot', 'sre'];
    expect(buildTfvars(m, env('system'), { argocdHost: true, stateHost: true }).state_backend).toMatchObject({
      environments: {
        production: {
          bucket: 'acme-tfstate-production',
          backup_bucket: 'acme-backups-production',
          key_label: 'acme-tfstate-production-envc',
        },
      },
      writers: { 'envc-bot': expect.any(Array), sre: expect.any(Array) },
    });
  });

  it('installs one root Application per environment, only where ArgoCD runs', () => {
    const apps = buildTfvars(model, env('system'), { argocdHost: true, stateHost: true })
      .argocd_applications as Record<
      string,
      { source: { path: string; directory: object }; destination: object }
    >;
    expect(Object.keys(apps)).toEqual([
      'envc-development-root',
      'envc-production-root',
      'envc-staging-root',
      'envc-system-root',
    ]);
    expect(apps['envc-production-root']!.source).toMatchObject({
      path: 'generated/kubernetes/production',
      directory: { recurse: false, include: 'argocd.yaml' },
    });
    expect(apps['envc-production-root']!.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'argocd',
    });
    expect(buildTfvars(model, env('staging'), plain).argocd_applications).toBeUndefined();
  });

  it('keeps root Applications out of the default project, and production’s root syncs by hand (issue 12)', () => {
    const apps = buildTfvars(model, env('system'), { argocdHost: true, stateHost: true })
      .argocd_applications as Record<string, { project: string; syncPolicy: { automated?: object } }>;
    for (const [name, app] of Object.entries(apps)) expect(app.project, name).toBe('envc-roots');
    expect(apps['envc-production-root']!.syncPolicy.automated).toBeUndefined();
    expect(apps['envc-development-root']!.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });
});
