/**
 * fast-check generator of random *valid* environments.yaml documents, for property tests of everything that
 * reads the model (emitters, rules, the runner). It starts from the shipped default spec — which passes every
 * policy rule — and varies what can vary without breaking a rule: names, regions, versions, pool sizes and
 * extra pools (capacity only grows, so quotas keep fitting), scaled-to-zero pools outside production, firewall
 * rules on non-admin ports, egress allowlists, DNS records (with quotes, `${` and `%{` in TXT targets to test
 * escaping), VPCs, data-service sizes, protection, the state backend, extra non-production environments, and
 * descriptions with awkward characters. Every generated document must compile without errors: a test that
 * sees a diagnostic has found a bug in the generator or in envc.
 */
import fc from 'fast-check';
import { defaultSpecObject } from './model.js';

type Json = Record<string, unknown>;
type EnvSpec = Json & {
  tier: string;
  cluster: Json & { pools: Json[]; kubernetesVersion?: string; controlPlaneAcl?: Json };
  network: Json & {
    firewall?: { inbound?: Json[]; outbound?: Json[] };
    egressAllowlist?: Json[];
    dns: Json & { zone: string; records?: Json[] };
    vpc?: Json;
  };
  dataServices?: { postgres?: Json; redis?: Json };
  quotas: Json;
};

const platformName = fc.constantFrom('acme', 'globex', 'initech', 'umbrella', 'hooli', 'x1');
const region = fc.constantFrom('us-ord', 'us-east', 'eu-central', 'fr-par', 'ap-south', 'us-sea');
const objectCluster = fc.constantFrom('us-ord-1', 'us-east-1', 'eu-central-1', 'us-sea-1');
const label = (prefix: string) => fc.integer({ min: 1, max: 999 }).map((n) => `${prefix}-${n}`);
const octet = fc.integer({ min: 1, max: 254 });
const cidr = fc
  .tuple(octet, octet, octet, fc.constantFrom(24, 28, 32))
  .map(([a, b, c, m]) => `${a}.${b}.${c}.0/${m}`.replace(/\.0\/32$/, '.1/32'));
const ipv6Cidr = fc.constantFrom('2001:db8::/32', '2001:db8:1::/48', '::/0');
/** Ports no rule forbids opening to the world (not SSH 22, not the Kubernetes API 6443). */
const safePort = fc.constantFrom('8080', '8443', '9000-9100', '3000,3001', '25', '5000');
/** Non-GPU plans at least as large as the default spec's, so the quota capacity rule keeps holding. */
const biggerPlan = fc.constantFrom('g6-standard-8', 'g6-dedicated-8', 'g6-standard-16', 'g6-dedicated-16');
const smallPlan = fc.constantFrom('g6-standard-2', 'g6-standard-4', 'g6-dedicated-4');
/** Text with the characters that break naive HCL/Markdown/YAML writers. */
const awkwardText = fc.constantFrom(
  'Plain description.',
  'Quotes "inside" and a backslash \\ here',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform syntax as test data, not a JS template
  'Template-looking ${var.x} and %{ if true }',
  'Two\nlines',
  'Pipes | and *stars* and `ticks`',
  'Unicode: café — ünïcode',
);
const txtTarget = fc.constantFrom(
  'v=spf1 -all',
  'say "hello"',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform syntax as test data, not a JS template
  'literal ${not_interpolated}',
  'percent %{ directive }',
  'back\\slash',
);

function dnsRecord(): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.record({
      name: fc.constantFrom('www', 'api', 'status'),
      type: fc.constant('A'),
      target: fc.tuple(octet, octet).map(([a, b]) => `198.51.${a}.${b}`),
    }),
    fc.record({
      name: fc.constantFrom('www6', 'api6'),
      type: fc.constant('AAAA'),
      target: fc.constant('2001:db8::10'),
    }),
    fc.record({
      name: fc.constantFrom('docs', 'shop', 'wildcard-alias'),
      type: fc.constant('CNAME'),
      target: fc.constant('example.net'),
    }),
    fc.record({ name: fc.constantFrom('', '_dmarc', 'txt'), type: fc.constant('TXT'), target: txtTarget }),
    fc.record({
      name: fc.constant(''),
      type: fc.constant('MX'),
      target: fc.constant('mail.example.net'),
      priority: fc.integer({ min: 0, max: 50 }),
    }),
    fc.record({
      name: fc.constantFrom('', 'www'),
      type: fc.constant('CAA'),
      target: fc.constant('letsencrypt.org'),
      tag: fc.constantFrom('issue', 'issuewild'),
    }),
    fc.record({
      name: fc.constant('*'),
      type: fc.constant('A'),
      target: fc.constant('203.0.113.9'),
      ttl: fc.constantFrom(300, 3600, 86400),
    }),
  );
}

function firewallRule(prefix: string): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.record(
      {
        label: label(prefix),
        protocol: fc.constantFrom('TCP', 'UDP'),
        ports: safePort,
        ipv4: fc.array(cidr, { minLength: 1, maxLength: 3 }),
        ipv6: fc.array(ipv6Cidr, { maxLength: 1 }),
        action: fc.constantFrom('ACCEPT', 'DROP'),
        description: fc.constantFrom('partner access', 'monitoring probe', 'quoted "rule"'),
      },
      { requiredKeys: ['label', 'protocol', 'ports', 'ipv4'] },
    ),
    fc.record({
      label: label(`${prefix}-icmp`),
      protocol: fc.constant('ICMP'),
      ipv4: fc.constant(['0.0.0.0/0']),
    }),
  );
}

interface EnvVariation {
  region?: string;
  description?: string;
  poolCountBump: number;
  biggerPlan?: string;
  dropAutoscaler: boolean;
  extraPool?: { name: string; type: string; count: number; autoscale: boolean };
  zeroPool?: { name: string; type: string };
  gpuPool?: { type: string; count: number };
  inbound: Json[];
  outbound: Json[];
  egress: Json[];
  records: Json[];
  vpc?: string;
  protectNonProd: boolean;
  acl6: boolean;
  postgres?: { version: string; nodes: number; allow: string[]; type: string };
  redis?: { replicas: number; memory: string };
  inboundPolicy?: string;
  outboundPolicy?: string;
}

function envVariation(prefix: string): fc.Arbitrary<EnvVariation> {
  return fc.record(
    {
      region,
      description: awkwardText,
      poolCountBump: fc.integer({ min: 0, max: 3 }),
      biggerPlan,
      dropAutoscaler: fc.boolean(),
      extraPool: fc.record({
        name: fc.constantFrom('extra', 'burst', 'mem'),
        type: smallPlan,
        count: fc.integer({ min: 1, max: 4 }),
        autoscale: fc.boolean(),
      }),
      zeroPool: fc.record({ name: fc.constantFrom('batch', 'nightly', 'idle'), type: smallPlan }),
      gpuPool: fc.record({
        type: fc.constantFrom('g2-gpu-rtx4000a1-s', 'g2-gpu-rtx4000a1-m', 'g1-gpu-rtx6000-1'),
        count: fc.integer({ min: 1, max: 2 }),
      }),
      inbound: fc.array(firewallRule(`${prefix}-in`), { maxLength: 3 }),
      outbound: fc.array(firewallRule(`${prefix}-out`), { maxLength: 2 }),
      egress: fc.array(
        fc.record({
          name: fc.constantFrom('mirror', 'partner-api', 'smtp'),
          cidrs: fc.array(cidr, { minLength: 1, maxLength: 2 }),
          ports: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }),
          protocol: fc.constantFrom('TCP', 'UDP'),
        }),
        { maxLength: 2 },
      ),
      records: fc.array(dnsRecord(), { maxLength: 4 }),
      vpc: fc.tuple(fc.integer({ min: 0, max: 255 })).map(([n]) => `10.${n}.0.0/24`),
      protectNonProd: fc.boolean(),
      acl6: fc.boolean(),
      postgres: fc.record({
        version: fc.constantFrom('14', '15', '16', '17'),
        nodes: fc.constantFrom(1, 2, 3),
        allow: fc.array(cidr, { maxLength: 2 }),
        type: fc.constantFrom('g6-nanode-1', 'g6-standard-1', 'g6-dedicated-2'),
      }),
      redis: fc.record({
        // 1 (standalone) or 3+ (Sentinel needs a majority of three: rule ENVC2040).
        replicas: fc.constantFrom(1, 3, 4, 5),
        memory: fc.constantFrom('512Mi', '1Gi', '2Gi'),
      }),
      // ACCEPT by default would open SSH and the Kubernetes API to the world (rule ENVC2004).
      inboundPolicy: fc.constant('DROP'),
      outboundPolicy: fc.constantFrom('DROP', 'ACCEPT'),
    },
    {
      requiredKeys: [
        'poolCountBump',
        'dropAutoscaler',
        'inbound',
        'outbound',
        'egress',
        'records',
        'protectNonProd',
        'acl6',
      ],
    },
  );
}

/** Makes rule labels unique within one firewall (fast-check may draw the same label twice). */
function uniqueLabels(rules: Json[]): Json[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const l = String(r.label);
    if (seen.has(l)) return false;
    seen.add(l);
    return true;
  });
}

function applyEnv(name: string, env: EnvSpec, v: EnvVariation): void {
  const prod = env.tier === 'production';
  if (v.region) env.region = v.region;
  if (v.description) env.description = v.description;
  const pools = env.cluster.pools;
  for (const p of pools) {
    if ((p.count as number) === 0) continue;
    if (String(p.type).includes('-gpu-')) continue;
    const count = (p.count as number) + v.poolCountBump;
    p.count = count;
    if (v.biggerPlan) p.type = v.biggerPlan;
    const as = p.autoscaler as { min: number; max: number } | undefined;
    if (v.dropAutoscaler && !prod) delete p.autoscaler;
    else if (as) p.autoscaler = { min: Math.min(as.min, count), max: Math.max(as.max, count) };
  }
  const names = new Set(pools.map((p) => p.name));
  if (v.extraPool && !names.has(v.extraPool.name)) {
    const c = v.extraPool.count;
    pools.push({
      name: v.extraPool.name,
      type: v.extraPool.type,
      count: c,
      ...(v.extraPool.autoscale ? { autoscaler: { min: 1, max: c + 2 } } : {}),
      labels: { role: v.extraPool.name },
    });
    names.add(v.extraPool.name);
  }
  // A pool that is meant to idle: LKE's floor is one node (a count-0 pool is ENVC3204).
  if (v.zeroPool && !prod && !names.has(v.zeroPool.name)) {
    pools.push({ name: v.zeroPool.name, type: v.zeroPool.type, count: 1, autoscaler: { min: 1, max: 2 } });
    names.add(v.zeroPool.name);
  }
  if (v.gpuPool && !names.has('gpu')) {
    pools.push({
      name: 'gpu',
      type: v.gpuPool.type,
      count: v.gpuPool.count,
      labels: { accelerator: 'nvidia' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });
  }
  if (v.acl6 && env.cluster.controlPlaneAcl) env.cluster.controlPlaneAcl.ipv6 = ['2001:db8::/32'];
  env.network.firewall ??= {};
  const fw = env.network.firewall;
  fw.inbound = uniqueLabels([...(fw.inbound ?? []), ...v.inbound]);
  fw.outbound = uniqueLabels([...(fw.outbound ?? []), ...v.outbound]);
  if (v.inboundPolicy) (fw as Json).inboundPolicy = v.inboundPolicy;
  if (v.outboundPolicy) (fw as Json).outboundPolicy = v.outboundPolicy;
  const egress = [...(env.network.egressAllowlist ?? [])];
  for (const e of v.egress) if (!egress.some((x) => x.name === e.name)) egress.push(e);
  env.network.egressAllowlist = egress;
  env.network.dns.records = [...(env.network.dns.records ?? []), ...v.records];
  if (v.vpc) env.network.vpc = { subnet: v.vpc };
  if (!prod && env.tier !== 'system') env.protected = v.protectNonProd;
  const ds = env.dataServices;
  if (ds?.postgres && v.postgres) {
    ds.postgres.version = v.postgres.version;
    ds.postgres.nodes = prod ? Math.max(2, v.postgres.nodes) : v.postgres.nodes;
    ds.postgres.allowList = v.postgres.allow;
    if (!prod) ds.postgres.type = v.postgres.type;
  }
  if (ds?.redis && v.redis) {
    ds.redis.replicas = prod ? Math.max(3, v.redis.replicas) : v.redis.replicas;
    ds.redis.memory = v.redis.memory;
  }
  void name;
}

export interface ArbitrarySpecOptions {
  /** Up to this many extra non-production environments (clones of staging). Default 2. */
  maxExtraEnvironments?: number;
}

/** Random valid specs as plain objects (serialize with `yaml.stringify`, or pass to `modelFromSpec`). */
export function arbitrarySpec(opts: ArbitrarySpecOptions = {}): fc.Arbitrary<Json> {
  const base = defaultSpecObject();
  const envNames = Object.keys(base.environments as Json);
  return fc
    .record({
      platform: platformName,
      owner: fc.constantFrom('platform-team', 'infra', 'sre'),
      kubernetesVersion: fc.constantFrom('1.35', '1.36'),
      tags: fc.uniqueArray(
        fc.constantFrom('cost-center:platform', 'team:infra', 'compliance:soc2', 'managed-by:envc'),
        { maxLength: 3 },
      ),
      stateCluster: objectCluster,
      keyPrefix: fc.constantFrom('envc', 'tfstate/acme', 'state'),
      writers: fc.uniqueArray(fc.constantFrom('platform-team', 'sre', 'infra-leads'), { maxLength: 2 }),
      backupBucket: fc.option(fc.constantFrom('acme-tfstate-backup', 'backups.acme'), { nil: undefined }),
      gitopsPath: fc.constantFrom('generated/kubernetes', 'deploy/kubernetes'),
      revision: fc.constantFrom('main', 'release', 'v1.2.3'),
      variations: fc.tuple(...envNames.map((n) => envVariation(n.slice(0, 4)))),
      extra: fc.uniqueArray(fc.constantFrom('qa', 'perf', 'sandbox', 'demo'), {
        maxLength: opts.maxExtraEnvironments ?? 2,
      }),
      extraVariations: fc.array(envVariation('ex'), { minLength: 4, maxLength: 4 }),
    })
    .map((r) => {
      const spec = structuredClone(base) as Json & {
        environments: Record<string, EnvSpec>;
        services: Json[];
        stateBackend: Json;
        gitops: Json;
        defaults: Json;
      };
      spec.platform = r.platform;
      spec.owner = r.owner;
      spec.defaults.kubernetesVersion = r.kubernetesVersion;
      spec.defaults.tags = r.tags;
      spec.stateBackend.cluster = r.stateCluster;
      spec.stateBackend.keyPrefix = r.keyPrefix;
      spec.stateBackend.writers = r.writers;
      if (r.backupBucket) spec.stateBackend.backupBucket = r.backupBucket;
      spec.gitops.path = r.gitopsPath;
      spec.gitops.targetRevision = r.revision;
      for (const env of Object.values(spec.environments)) delete env.cluster.kubernetesVersion;
      // Extra environments: clones of staging with their own zone; the sample service runs there too, so the
      // `environments: [all]` secrets stay consistent with their usedBy services.
      const staging = spec.environments.staging;
      r.extra.forEach((name) => {
        if (!staging || spec.environments[name]) return;
        const env = structuredClone(staging);
        env.network.dns.zone = `${name}.acme.example`;
        env.network.dns.records = [];
        spec.environments[name] = env;
        const svc = spec.services[0] as { environments: string[] } | undefined;
        svc?.environments.push(name);
      });
      for (const [i, name] of envNames.entries()) applyEnv(name, spec.environments[name]!, r.variations[i]!);
      r.extra.forEach((name, i) => {
        if (spec.environments[name]) applyEnv(name, spec.environments[name]!, r.extraVariations[i]!);
      });
      return spec as Json;
    });
}
