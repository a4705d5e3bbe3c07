/**
 * A small, valid, hand-built Model for rule unit tests: every rule passes on it, so a test changes one thing
 * and expects exactly that rule to fire. Shaped like the default spec (development, production, system).
 */
import { nodeAllocatable } from '../linode-types.js';
import type { EnvironmentModel, Model, Origin, PoolModel, ServiceInstance, Tier } from '../model.js';

export function o(path: string, line = 1, column = 1): Origin {
  return { path, file: 'environments.yaml', line, column };
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export function pool(env: string, index: number, overrides: Partial<PoolModel> = {}): PoolModel {
  const type = overrides.type ?? 'g6-standard-4';
  return {
    name: 'general',
    type,
    count: 3,
    scaleToZero: false,
    autoscaler: { min: 3, max: 6 },
    labels: {},
    taints: [],
    updateStrategy: 'rolling_update',
    isGpu: false,
    nodeAllocatable: nodeAllocatable(type),
    origin: o(`environments.${env}.cluster.pools[${index}]`, 10 + index, 11),
    ...overrides,
  };
}

function service(env: string, overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  return {
    name: 'sample-service',
    owner: 'team-a',
    namespace: 'team-a',
    image: 'ghcr.io/acme/sample-service:1.4.2',
    port: 8080,
    health: '/healthz',
    resources: {
      requests: { cpu: { text: '100m', value: 100 }, memory: { text: '256Mi', value: 256 * MiB } },
      limits: { cpu: { text: '500m', value: 500 }, memory: { text: '512Mi', value: 512 * MiB } },
    },
    replicas: 2,
    ingress: {
      host: `sample.${env}.acme.example`,
      path: '/',
      origin: o('services[0].ingress.host', 200, 13),
    },
    dataServices: ['postgres'],
    secrets: ['session-key'],
    allowFrom: [],
    origin: o('services[0]', 190, 5),
    ...overrides,
  };
}

function environmentModel(name: string, tier: Tier): EnvironmentModel {
  const production = tier === 'production';
  const system = tier === 'system';
  const perCpu = production ? 500 : 250;
  const perMem = production ? GiB : 512 * MiB;
  const services = system ? 5 : 10;
  const base = `environments.${name}`;
  return {
    name,
    tier,
    region: 'us-ord',
    kubernetesVersion: '1.33',
    protected: production,
    hosts: system ? ['argocd', 'bot', 'observability'] : [],
    tags: [`env:${name}`],
    cluster: {
      label: `acme-${name}`,
      highAvailability: production || system,
      podCidr: '10.2.0.0/16',
      serviceCidr: '10.128.0.0/16',
      controlPlaneAcl: {
        enabled: true,
        ipv4: ['203.0.113.0/24'],
        ipv6: [],
        platform: [],
        ci: [],
        origin: o(`${base}.cluster.controlPlaneAcl`, 5, 9),
      },
      tier: 'standard',
      auditLogs: false,
      pools: [pool(name, 0)],
      origin: o(`${base}.cluster`, 4, 7),
    },
    network: {
      nodeEgress: [],
      firewall: {
        label: `acme-${name}`,
        inboundPolicy: 'DROP',
        outboundPolicy: 'DROP',
        inbound: [
          {
            label: 'https',
            action: 'ACCEPT',
            protocol: 'TCP',
            ports: '443',
            ipv4: ['0.0.0.0/0'],
            ipv6: ['::/0'],
            origin: o(`${base}.network.firewall.inbound[0]`, 20, 13),
          },
          {
            label: 'http-redirect',
            action: 'ACCEPT',
            protocol: 'TCP',
            ports: '80',
            ipv4: ['0.0.0.0/0'],
            ipv6: ['::/0'],
            origin: o(`${base}.network.firewall.inbound[1]`, 21, 13),
          },
        ],
        outbound: [],
        origin: o(`${base}.network.firewall`, 18, 9),
      },
      egressAllowlist: [],
      dns: {
        zone: `${name}.acme.example`,
        soaEmail: 'hostmaster@acme.example',
        records: [],
        origin: o(`${base}.network.dns`, 25, 9),
      },
    },
    quotas: {
      services,
      perService: {
        requests: {
          cpu: { text: `${perCpu}m`, value: perCpu },
          memory: { text: production ? '1Gi' : '512Mi', value: perMem },
        },
        limits: { cpu: { text: '1', value: 1000 }, memory: { text: '2Gi', value: 2 * GiB } },
      },
      podsPerService: 10,
      total: {
        requests: { cpuMillis: services * perCpu, memoryBytes: services * perMem },
        limits: { cpuMillis: services * 1000, memoryBytes: services * 2 * GiB },
        pods: services * 10,
      },
      origin: o(`${base}.quotas`, 30, 7),
    },
    dataServices: system
      ? {}
      : {
          postgres: {
            label: `acme-${name}-pg`,
            type: 'g6-standard-1',
            version: '16',
            engineId: 'postgresql/16',
            nodes: production ? 3 : 1,
            allowList: [],
            origin: o(`${base}.dataServices.postgres`, 35, 17),
          },
        },
    observability: {
      retention: '7d',
      logsRetention: '7d',
      tracesRetention: '7d',
      retentionSeconds: 604_800,
      heartbeatUrl: `https://hc-ping.com/${name}`,
    },
    argocd: { autoSync: !production },
    approvals: {
      required: production || system,
      approvers: production || system ? ['@platform-leads'] : [],
      minApprovals: 1,
      expiresAfter: '1h',
      expiresAfterSeconds: 3600,
      allowDestroy: false,
      origin: o(`${base}.approvals`, 40, 7),
    },
    namespaces: system
      ? []
      : [{ name: 'team-a', kind: 'app', owner: 'team-a', services: ['sample-service'] }],
    services: system ? [] : [service(name)],
    accessPolicies: [],
    secrets: system
      ? []
      : [
          {
            name: 'session-key',
            source: 'generated',
            namespaces: ['team-a'],
            rotateEverySeconds: 30 * 86_400,
            gracePeriodSeconds: 0,
            scope: 'strict',
            usedBy: ['sample-service'],
          },
        ],
    origin: o(base, 3, 3),
  };
}

/** A fresh model each call, so tests can mutate it freely. */
export function testModel(): Model {
  return {
    apiVersion: 'envc/v1',
    platform: 'acme',
    owner: 'platform-team',
    sourceFile: 'environments.yaml',
    sourceDigest: '0'.repeat(64),
    defaults: { region: 'us-ord', kubernetesVersion: '1.33', tags: [] },
    stateBackend: {
      bucket: 'acme-tfstate',
      cluster: 'us-ord-1',
      endpoint: 'https://us-ord-1.linodeobjects.com',
      keyPrefix: 'envc',
      writers: [],
      backupBucket: 'acme-tfstate',
      origin: o('stateBackend', 2, 3),
    },
    gitops: {
      repoURL: 'https://github.com/acme/platform.git',
      targetRevision: 'main',
      path: 'generated/kubernetes',
    },
    slack: { channel: '#platform-infra', approvers: ['@platform-leads'], usergroups: {} },
    identity: { kubernetesUser: 'email', groupPrefix: '' },
    environments: [
      environmentModel('development', 'non-production'),
      environmentModel('production', 'production'),
      environmentModel('system', 'system'),
    ],
    serviceOrigins: { 'sample-service': o('services[0]', 190, 5) },
    accessPolicies: [
      {
        name: 'view',
        environments: ['development', 'production'],
        role: 'view',
        scope: 'namespace',
        maxDuration: '8h',
        maxDurationSeconds: 8 * 3600,
        approvers: ['@platform-leads'],
        minApprovals: 1,
        breakGlass: false,
        groups: [],
        origin: o('accessPolicies[0]', 250, 5),
      },
      {
        name: 'break-glass',
        environments: ['production'],
        role: 'admin',
        scope: 'cluster',
        maxDuration: '1h',
        maxDurationSeconds: 3600,
        approvers: ['@platform-leads'],
        minApprovals: 1,
        breakGlass: true,
        groups: [],
        origin: o('accessPolicies[1]', 260, 5),
      },
    ],
    secrets: [
      {
        name: 'session-key',
        source: 'generated',
        rotateEvery: '30d',
        rotateEverySeconds: 30 * 86_400,
        gracePeriodSeconds: 0,
        environments: ['development', 'production'],
        usedBy: ['sample-service'],
        scope: 'strict',
        access: 'read_write',
        length: 32,
        alphabet: 'alphanumeric',
        origin: o('secrets[0]', 280, 5),
      },
    ],
    schedules: {
      timezone: 'UTC',
      drift: '0 */6 * * *',
      rotation: '0 9 * * *',
      accessExpiry: '* * * * *',
      probe: '* * * * *',
    },
    slo: { availability: 99.5 },
    waivers: [],
  };
}

/** The environment of that name (throws in tests when missing — a typo in a test, not a finding). */
export function env(model: Model, name: string): EnvironmentModel {
  const e = model.environments.find((x) => x.name === name);
  if (!e) throw new Error(`test model has no environment ${name}`);
  return e;
}

export const TODAY = '2025-06-01';
