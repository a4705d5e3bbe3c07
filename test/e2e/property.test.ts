import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { hasErrors } from '../../src/compiler/diagnostics/diagnostic.js';
import { buildModelFromText, compileText } from '../../src/compiler/pipeline.js';
import { ENVC_BIN, STACK_LINE } from '../support/cli.js';
import { defaultSpecText, TEST_TODAY } from '../support/model.js';
import { treeHashes } from '../support/tree.js';

/**
 * Properties of the whole compiler, checked through the pipeline in-process (many runs) and through the real
 * CLI (fewer runs, each a node process):
 * 1. a random valid spec compiles, and compiling it twice gives byte-identical files;
 * 2. a random mutation of the default spec never crashes envc: exit 0 or 1, no stack trace, and every
 *    diagnostic names a place (file, line, column).
 * Seeds are fixed so a failure reproduces; fast-check prints the shrunk counterexample.
 */

const work = mkdtempSync(join(tmpdir(), 'envc-prop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd = work): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ENVC_BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}

// ── random valid specs ──────────────────────────────────────────────────────────────────────────────────────

const ENV_NAMES = ['dev', 'qa', 'staging', 'preprod', 'prod', 'prod-eu'] as const;
const TEAMS = ['team-a', 'team-b', 'payments', 'search'] as const;

const world = { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] };
const firewall = {
  inbound: [
    { label: 'https', protocol: 'TCP', ports: '443', ...world },
    { label: 'http-redirect', protocol: 'TCP', ports: '80', ...world },
  ],
  // DNS over UDP and TCP: LKE nodes resolve through the outbound firewall too (the platform model checks it).
  outbound: [
    { label: 'https-out', protocol: 'TCP', ports: '443', ...world },
    { label: 'dns-out', protocol: 'UDP', ports: '53', ipv4: ['0.0.0.0/0'] },
    { label: 'dns-out-tcp', protocol: 'TCP', ports: '53', ipv4: ['0.0.0.0/0'] },
  ],
};

const arbEnv = fc.record({
  production: fc.boolean(),
  poolType: fc.constantFrom('g6-standard-8', 'g6-dedicated-8', 'g6-dedicated-16'),
  count: fc.integer({ min: 3, max: 5 }),
  gpu: fc.boolean(),
  services: fc.integer({ min: 1, max: 20 }),
  cpu: fc.constantFrom('250m', '500m'),
  memory: fc.constantFrom('512Mi', '1Gi'),
  retention: fc.constantFrom('7d', '15d', '30d'),
  redis: fc.boolean(),
});

const arbService = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/),
  owner: fc.constantFrom(...TEAMS),
  port: fc.integer({ min: 1024, max: 9999 }),
  replicas: fc.integer({ min: 1, max: 3 }),
  ingress: fc.boolean(),
  postgres: fc.boolean(),
  envMask: fc.array(fc.boolean(), { minLength: ENV_NAMES.length, maxLength: ENV_NAMES.length }),
  secret: fc.boolean(),
  rotateDays: fc.integer({ min: 1, max: 365 }),
});

const arbSpec = fc
  .record({
    envs: fc
      .uniqueArray(fc.constantFrom(...ENV_NAMES), { minLength: 1, maxLength: 4 })
      .chain((names) =>
        fc.tuple(fc.constant(names), fc.array(arbEnv, { minLength: names.length, maxLength: names.length })),
      ),
    services: fc.uniqueArray(arbService, { maxLength: 5, selector: (s) => s.name }),
    platform: fc.constantFrom('acme', 'globex', 'initech'),
  })
  .map(({ envs: [names, envs], services, platform }) => buildSpec(platform, names, envs, services));

type EnvArb = typeof arbEnv extends fc.Arbitrary<infer T> ? T : never;
type SvcArb = typeof arbService extends fc.Arbitrary<infer T> ? T : never;

/**
 * A spec that passes every rule and the platform model (envc verify) by construction: sizes fit, production
 * gets HA, ACL, approvals, taints; CI and the system cluster's egress are declared, and nodes may resolve DNS.
 */
function buildSpec(
  platform: string,
  names: readonly string[],
  envs: EnvArb[],
  services: SvcArb[],
): Record<string, unknown> {
  const environments: Record<string, unknown> = {};
  names.forEach((name, i) => {
    const e = envs[i]!;
    const prod = e.production;
    const pools: unknown[] = [
      { name: 'general', type: e.poolType, count: e.count, autoscaler: { min: e.count, max: e.count + 3 } },
    ];
    if (e.gpu)
      pools.push({
        name: 'gpu',
        type: 'g2-gpu-rtx4000a1-s',
        count: 1,
        labels: { workload: 'gpu' },
        taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      });
    environments[name] = {
      tier: prod ? 'production' : 'non-production',
      cluster: { highAvailability: prod, controlPlaneAcl: { ipv4: ['203.0.113.0/24'] }, pools },
      network: {
        firewall,
        // Where the nodes leave for the internet: the database allow list admits it (ENVC3206).
        nodeEgress: [`198.51.100.${16 * (ENV_NAMES as readonly string[]).indexOf(name)}/28`],
        dns: { zone: `${name}.${platform}.example`, soaEmail: `hostmaster@${platform}.example` },
      },
      quotas: {
        services: e.services,
        perService: { requests: { cpu: e.cpu, memory: e.memory }, limits: { cpu: '1', memory: '2Gi' } },
      },
      dataServices: {
        postgres: { type: 'g6-dedicated-4', version: '16', nodes: prod ? 3 : 1 },
        ...(e.redis ? { redis: { replicas: prod ? 3 : 1 } } : {}),
      },
      observability: { retention: e.retention, heartbeatUrl: `https://hc-ping.example/${name}` },
      approvals: prod
        ? { required: true, approvers: ['@platform-leads'], minApprovals: 1 }
        : { required: false },
    };
  });
  environments.system = {
    tier: 'system',
    hosts: ['argocd', 'bot', 'observability'],
    observability: { heartbeatUrl: 'https://hc-ping.example/system' },
    cluster: {
      highAvailability: true,
      controlPlaneAcl: { ipv4: ['203.0.113.0/24'] },
      pools: [{ name: 'platform', type: 'g6-standard-8', count: 3 }],
    },
    network: {
      firewall,
      // ArgoCD and the bot reach every cluster's API server from here: the ACLs admit this range.
      nodeEgress: ['198.51.100.112/28'],
      dns: { zone: `platform.${platform}.example`, soaEmail: `hostmaster@${platform}.example` },
    },
    quotas: {
      services: 5,
      perService: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    },
    approvals: { required: true },
  };
  const svcs: unknown[] = [];
  const secrets: unknown[] = [];
  for (const s of services) {
    let envList = names.filter((_, i) => s.envMask[i]);
    if (envList.length === 0) envList = [names[0]!];
    const secretName = `${s.name}-key`;
    svcs.push({
      name: s.name,
      owner: s.owner,
      image: `ghcr.io/${platform}/${s.name}:1.0.0`,
      port: s.port,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      replicas: { default: s.replicas },
      ...(s.ingress ? { ingress: { host: `${s.name}.{env}.${platform}.example` } } : {}),
      environments: envList,
      dataServices: s.postgres ? ['postgres'] : [],
      ...(s.secret ? { secrets: [secretName] } : {}),
    });
    if (s.secret)
      secrets.push({
        name: secretName,
        source: 'generated',
        rotateEvery: `${s.rotateDays}d`,
        environments: envList,
        usedBy: [s.name],
      });
  }
  return {
    apiVersion: 'envc/v1',
    platform,
    stateBackend: { bucket: `${platform}-tfstate`, cluster: 'us-ord-1' },
    gitops: { repoURL: `https://github.com/${platform}/platform.git` },
    slack: { channel: '#platform-infra', approvers: ['@platform-leads'] },
    environments,
    services: svcs,
    accessPolicies: [
      {
        name: 'view',
        environments: [...names],
        role: 'view',
        maxDuration: '8h',
        approvers: ['@platform-leads'],
      },
      {
        name: 'break-glass',
        environments: [...names],
        role: 'admin',
        scope: 'cluster',
        breakGlass: true,
        maxDuration: '1h',
      },
    ],
    secrets,
    // Where CI plans and applies from: every control-plane ACL admits it.
    ci: { ipv4: ['198.51.100.128/28'] },
  };
}

const codesOf = (diags: ReadonlyArray<{ code: string; severity: string; message: string }>) =>
  diags.map((d) => `${d.severity} ${d.code} ${d.message}`).join('\n');

describe('random valid specs compile deterministically', () => {
  it('in-process: no findings (rules and the platform model), and two compiles give the same files byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(arbSpec, async (spec) => {
        const text = stringify(spec);
        const a = await compileText(text, 'environments.yaml', { today: TEST_TODAY, verify: true });
        // Up to four teams share an environment here, each namespace with the whole quota: over-commit is a
        // warning by design (docs/rules/ENVC2005.md), not a defect of the spec.
        const overCommit = (d: { code: string; severity: string }) =>
          d.code === 'ENVC2005' && d.severity === 'warning';
        expect(codesOf(a.diagnostics.filter((d) => d.severity !== 'info' && !overCommit(d)))).toBe('');
        expect(a.files.length).toBeGreaterThan(1);
        const b = await compileText(text, 'environments.yaml', { today: TEST_TODAY });
        expect(b.files.map((f) => f.path)).toEqual(a.files.map((f) => f.path));
        for (const [i, f] of b.files.entries()) expect(f.content, f.path).toBe(a.files[i]!.content);
      }),
      { numRuns: 25, seed: 20_250_601 },
    );
  });

  it('through the CLI: two `envc compile` runs in separate processes write identical trees', async () => {
    await fc.assert(
      fc.asyncProperty(arbSpec, async (spec) => {
        const dir = mkdtempSync(join(work, 'valid-'));
        writeFileSync(join(dir, 'environments.yaml'), stringify(spec));
        const one = await cli(['compile', '--out', 'out-1'], dir);
        const two = await cli(['compile', '--out', 'out-2'], dir);
        expect(one.stderr).not.toMatch(STACK_LINE);
        expect([one.exitCode, two.exitCode], one.stderr).toEqual([0, 0]);
        const h1 = treeHashes(join(dir, 'out-1'));
        expect(Object.keys(h1).length).toBeGreaterThan(1);
        expect(treeHashes(join(dir, 'out-2'))).toEqual(h1);
      }),
      { numRuns: 3, seed: 7 },
    );
  }, 120_000);
});

// ── random mutations of the default spec ─────────────────────────────────────────────────────────────────────

const defaultText = defaultSpecText();
const defaultLines = defaultText.split('\n');

/** Every path into the default spec's data, for structural mutations. */
function paths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}
const defaultData = parse(defaultText) as Record<string, unknown>;
const allPaths = paths(defaultData).filter((p) => p.length > 0);

const arbJunk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 200_000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(
    '',
    'all',
    'system',
    'prod',
    '0.0.0.0/0',
    '22',
    '1.99',
    '0d',
    '-1',
    'g6-standard-4',
    '{env}',
    '@nobody',
    'ENVC2001',
  ),
  fc.string({ maxLength: 12 }),
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
);

/** Structural: set, delete or duplicate-into-list at a random path; the result is re-serialized. */
const arbStructural = fc
  .record({ path: fc.constantFrom(...allPaths), op: fc.constantFrom('set', 'delete'), value: arbJunk })
  .map(({ path, op, value }) => {
    const data = structuredClone(defaultData) as Record<string, unknown>;
    let parent: unknown = data;
    for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
    const last = path[path.length - 1]!;
    if (op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string, unknown>)[last as string];
    } else (parent as Record<string | number, unknown>)[last] = value;
    return stringify(data);
  });

/** Textual: delete, duplicate or swap lines, splice characters in, or cut the file short. */
const arbTextual = fc.oneof(
  fc.nat({ max: defaultLines.length - 1 }).map((i) => defaultLines.filter((_, j) => j !== i).join('\n')),
  fc
    .nat({ max: defaultLines.length - 1 })
    .map((i) => [...defaultLines.slice(0, i + 1), defaultLines[i], ...defaultLines.slice(i + 1)].join('\n')),
  fc
    .tuple(fc.nat({ max: defaultLines.length - 2 }), fc.nat({ max: defaultLines.length - 2 }))
    .map(([i, j]) => {
      const l = [...defaultLines];
      [l[i], l[j]] = [l[j]!, l[i]!];
      return l.join('\n');
    }),
  fc
    .tuple(
      fc.nat({ max: defaultText.length }),
      fc.constantFrom(
        ':',
        '-',
        '[',
        '{',
        '"',
        "'",
        '&a',
        '*a',
        '\t',
        '  ',
        '#',
        '!!binary ',
        '\u0000',
        '\uFEFF',
      ),
    )
    .map(([at, s]) => defaultText.slice(0, at) + s + defaultText.slice(at)),
  fc.nat({ max: defaultText.length }).map((at) => defaultText.slice(0, at)),
);

const arbMutant = fc.oneof(arbStructural, arbTextual);

interface Diag {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

function expectLocated(diags: Diag[], file: string) {
  for (const d of diags) {
    expect(d.code, d.message).toMatch(/^ENVC\d{4}$/);
    expect(d.file, `${d.code} ${d.message}`).toBe(file);
    expect(d.line, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.column, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(1);
  }
}

describe('random mutations of the default spec never crash envc', () => {
  it('in-process: the pipeline returns located diagnostics, never throws', async () => {
    await fc.assert(
      fc.property(arbMutant, (text) => {
        const r = buildModelFromText(text, 'environments.yaml', { today: TEST_TODAY });
        expectLocated(r.diagnostics, 'environments.yaml');
        // No model without an explanation: a rejected spec says why.
        if (!r.model) expect(hasErrors(r.diagnostics)).toBe(true);
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('through the CLI: exit 0 or 1, no stack trace, JSON output whose diagnostics name a location', async () => {
    await fc.assert(
      fc.asyncProperty(arbMutant, async (text) => {
        writeFileSync(join(work, 'environments.yaml'), text);
        const r = await cli(['validate', 'environments.yaml', '--format', 'json']);
        expect(r.stderr).not.toMatch(STACK_LINE);
        expect([0, 1]).toContain(r.exitCode);
        const body = JSON.parse(r.stdout) as { ok: boolean; diagnostics: Diag[] };
        expect(body.ok).toBe(r.exitCode === 0);
        expectLocated(body.diagnostics, 'environments.yaml');
        if (r.exitCode === 1) expect(body.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 40, seed: 1234 },
    );
  }, 120_000);

  it('through the CLI, text format: a failing run prints file:line:column', async () => {
    await fc.assert(
      fc.asyncProperty(arbMutant, async (text) => {
        writeFileSync(join(work, 'environments.yaml'), text);
        const r = await cli(['validate', 'environments.yaml']);
        expect(r.stderr).not.toMatch(STACK_LINE);
        expect([0, 1]).toContain(r.exitCode);
        if (r.exitCode === 1) expect(r.stderr).toMatch(/--> environments\.yaml:\d+:\d+/);
      }),
      { numRuns: 15, seed: 99 },
    );
  }, 120_000);
});
