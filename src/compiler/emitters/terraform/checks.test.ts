/** Issue 11 findings at the Terraform layer: each check brought back by a one-field mutation of the shipped spec. */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../../test/support/model.js';
import type { Model } from '../../model.js';
import { withPlatformAccess } from '../../platform-access.js';
import { terraformEmitter } from './index.js';

let model: Model;
beforeAll(async () => {
  model = await defaultModel();
});
const emit = (m: Model) => terraformEmitter.emit(m, { envcVersion: 'test' });
const env = (m: Model, name: string) => m.environments.find((e) => e.name === name)!;
const tfvars = async (m: Model, e: string, root = 'cluster') =>
  JSON.parse(
    (await emit(m)).files.find((f) => f.path === `terraform/environments/${e}/${root}/terraform.tfvars.json`)!
      .content,
  );

describe('terraform checks and fixes of issue 11', () => {
  it('the shipped spec passes every check', async () => {
    expect((await emit(model)).diagnostics).toEqual([]);
  });

  it('finding 4: every control-plane ACL admits the system cluster egress and CI; dropping them is visible', async () => {
    for (const e of model.environments) {
      const acl = (await tfvars(model, e.name)).cluster.control_plane_acl.ipv4 as string[];
      expect(acl, e.name).toEqual(expect.arrayContaining(['198.51.100.112/28', '198.51.100.128/28']));
    }
    const m = structuredClone(model);
    env(m, 'system').network.nodeEgress = [];
    const stripped = withPlatformAccess(
      {
        ...m,
        environments: m.environments.map((e) => ({
          ...e,
          cluster: {
            ...e.cluster,
            controlPlaneAcl: { ...e.cluster.controlPlaneAcl, ipv4: ['203.0.113.0/24'] },
          },
        })),
      },
      {},
    );
    expect((await tfvars(stripped, 'production')).cluster.control_plane_acl.ipv4).toEqual(['203.0.113.0/24']);
  });

  it('finding 5: the node firewall starts from LKE defaults (kubelet/kube-proxy, Typha, DNS over TCP and UDP)', async () => {
    const inbound = (await tfvars(model, 'staging')).firewall.inbound as Array<{
      label: string;
      ports?: string;
    }>;
    const labels = inbound.map((r) => r.label);
    for (const l of [
      'allow-kubelet-health-checks',
      'allow-calico-typha',
      'allow-calico-bgp',
      'allow-cluster-dns-tcp',
      'allow-cluster-dns-udp',
      'allow-cluster-ipencap',
    ])
      expect(labels).toContain(l);
    expect(inbound.find((r) => r.label === 'allow-kubelet-health-checks')!.ports).toBe('10250,10256');
  });

  it('finding 5: outbound DNS over UDP only is ENVC3203 at the rule', async () => {
    const m = structuredClone(model);
    const fw = env(m, 'staging').network.firewall;
    fw.outbound = fw.outbound.filter((r) => r.label !== 'dns-out-tcp');
    const d = (await emit(m)).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['ENVC3203']);
    expect(d[0]!.path).toMatch(/environments\.staging\.network\.firewall\.outbound\[1\]/);
  });

  it('finding 6: the database admits its own nodes; with nothing admitted it is ENVC3206', async () => {
    expect((await tfvars(model, 'production')).postgres.allow_list).toEqual(['198.51.100.96/28']);
    const m = structuredClone(model);
    env(m, 'production').dataServices.postgres!.allowList = [];
    expect((await emit(m)).diagnostics.map((x) => x.code)).toEqual(['ENVC3206']);
  });

  it('finding 6: the firewall lets the nodes reach the database on the port the provider reports', async () => {
    const { files } = await emit(model);
    const main = files.find((f) => f.path === 'terraform/environments/production/cluster/main.tf')!.content;
    expect(main).toContain('extra_outbound_rules = module.data_services.firewall_egress');
    const out = files.find((f) => f.path === 'terraform/modules/data-services/outputs.tf')!.content;
    expect(out).toContain('ports       = tostring(linode_database_postgresql_v2.this[0].port)');
  });

  it('finding 7: every Ingress host has A and AAAA records to the ingress NodeBalancer; a host outside the zone is ENVC3207', async () => {
    expect((await tfvars(model, 'system')).ingress.hosts).toEqual({ argocd: 'argocd', grafana: 'grafana' });
    expect((await tfvars(model, 'production')).ingress.hosts).toEqual({
      grafana: 'grafana',
      sample: 'sample',
    });
    const m = structuredClone(model);
    const svc = env(m, 'staging').services[0]!;
    svc.ingress = { ...svc.ingress!, host: 'sample.elsewhere.example' };
    expect((await emit(m)).diagnostics.map((x) => x.code)).toEqual(['ENVC3207']);
  });

  it('finding 12: audit logs on a standard-tier cluster is ENVC3205; a count-0 pool is ENVC3204, never dropped', async () => {
    const m = structuredClone(model);
    env(m, 'staging').cluster.auditLogs = true;
    expect((await emit(m)).diagnostics.map((x) => x.code)).toEqual(['ENVC3205']);
    env(m, 'staging').cluster.tier = 'enterprise';
    expect((await emit(m)).diagnostics).toEqual([]);
    const z = structuredClone(model);
    const pool = env(z, 'development').cluster.pools[1]!;
    pool.count = 0;
    const d = (await emit(z)).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['ENVC3204']);
    expect(d[0]!.path).toBe('environments.development.cluster.pools[1]');
  });

  it('findings 2/3: releases with ServiceMonitors wait for kube-prometheus-stack, which is not atomic', async () => {
    const { files } = await emit(model);
    const main = files.find((f) => f.path === 'terraform/environments/system/platform/main.tf')!.content;
    for (const m of ['ingress', 'secrets_bootstrap', 'argo_bootstrap'])
      expect(main.split(`module "${m}" {`)[1]!.split('\n}\n')[0]).toMatch(
        /depends_on = \[.*module\.observability/,
      );
    const obs = files.find((f) => f.path === 'terraform/modules/observability/main.tf')!.content;
    const kps = obs.split('resource "helm_release" "kube_prometheus_stack" {')[1]!.split('\n}\n')[0]!;
    expect(kps).not.toMatch(/^\s*atomic\s*=/m);
    expect(kps).toContain('wait = false');
  });
});
