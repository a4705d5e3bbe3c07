/**
 * The in-cluster Redis release, end to end on envc's side: the values are checked against the pinned chart's
 * own values.yaml (every key envc sets exists there; what envc leaves alone keeps the chart's default), the
 * merged values pass Pod Security `restricted` in every container the chart renders, the size follows the spec,
 * the password comes from the Secret envc seals (exactly the key it seals), and the password reloader — run for
 * real with bash against a stand-in redis-cli — switches Redis to a rotated password without a restart.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitHelm } from '../../src/compiler/emitters/helm/index.js';
import { reloaderScript } from '../../src/compiler/emitters/helm/redis.js';
import { emitKubernetes, loadKubernetesLibs } from '../../src/compiler/emitters/kubernetes/index.js';
import { CHARTS } from '../../src/compiler/emitters/terraform/versions.js';
import type { Model } from '../../src/compiler/model.js';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../support/model.js';

// biome-ignore lint/suspicious/noExplicitAny: chart values of any shape, read by path
type V = Record<string, any>;

const chartDefaults = parse(
  readFileSync(
    new URL(`./helm-charts/bitnami-redis-${CHARTS.redis.version}.values.yaml`, import.meta.url),
    'utf8',
  ),
) as V;

function redisValuesOf(model: Model, env: string): V {
  const f = emitHelm(model).find((x) => x.path === `helm/values/${env}/redis.yaml`);
  expect(f, `helm/values/${env}/redis.yaml`).toBeDefined();
  return parse(f!.content) as V;
}

const isMap = (x: unknown): x is V => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Paths envc sets that the chart does not know (a typo there is silently ignored by Helm). */
function unknownKeys(ours: V, theirs: V, at = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(ours)) {
    const path = at ? `${at}.${k}` : k;
    if (!(k in theirs)) {
      out.push(path);
      continue;
    }
    const d = theirs[k];
    // A map the chart leaves empty ({}) is free-form (resources, labels); lists are taken whole.
    if (isMap(v) && isMap(d) && Object.keys(d).length > 0) out.push(...unknownKeys(v, d, path));
  }
  return out;
}

function merge(base: V, over: V): V {
  const out: V = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(base[k]) ? merge(base[k], v) : v;
  return out;
}

/** The Pod Security Standards `restricted` fields of one container's securityContext (and the pod's). */
function restrictedProblems(who: string, sc: V | undefined, pod: V): string[] {
  const out: string[] = [];
  if (!sc || sc.enabled === false) return [`${who}: securityContext disabled`];
  if (sc.privileged) out.push(`${who}: privileged`);
  if (sc.allowPrivilegeEscalation !== false) out.push(`${who}: allowPrivilegeEscalation not false`);
  if (sc.runAsNonRoot !== true || sc.runAsUser === 0) out.push(`${who}: may run as root`);
  if (sc.seccompProfile?.type !== 'RuntimeDefault') out.push(`${who}: seccomp ${sc.seccompProfile?.type}`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${who}: does not drop ALL`);
  if ((sc.capabilities?.add ?? []).length > 0) out.push(`${who}: adds capabilities`);
  if (pod.enabled === false) out.push(`${who}: pod securityContext disabled`);
  if ((pod.sysctls ?? []).length > 0) out.push(`${who}: sets sysctls`);
  return out;
}

describe('redis values against bitnami/redis', () => {
  it('pins the chart whose values.yaml the test holds, and sets only keys that chart knows', async () => {
    expect(CHARTS.redis).toEqual({
      release: 'redis',
      repository: 'oci://registry-1.docker.io/bitnamicharts',
      chart: 'redis',
      version: '23.1.1',
    });
    const model = await defaultModel();
    for (const env of ['development', 'staging', 'production']) {
      expect(unknownKeys(redisValuesOf(model, env), chartDefaults), env).toEqual([]);
    }
    // The check is real: a misspelt key is caught.
    expect(
      unknownKeys({ auth: { existingSecrett: 'x' }, replica: { replicaCount: 1 } }, chartDefaults),
    ).toEqual(['auth.existingSecrett']);
  });

  it('passes Pod Security restricted in every container the chart renders, with no root init container', async () => {
    const model = await defaultModel();
    for (const env of ['development', 'production']) {
      const v = merge(chartDefaults, redisValuesOf(model, env));
      const role = v.sentinel.enabled ? v.replica : v.master;
      const problems = [
        ...restrictedProblems('redis', role.containerSecurityContext, role.podSecurityContext),
        ...restrictedProblems('exporter', v.metrics.containerSecurityContext, role.podSecurityContext),
        ...(v.sentinel.enabled
          ? restrictedProblems('sentinel', v.sentinel.containerSecurityContext, role.podSecurityContext)
          : []),
        ...role.sidecars.map((c: V) =>
          restrictedProblems(c.name, { ...c.securityContext, enabled: true }, role.podSecurityContext),
        ),
      ].flat();
      expect(problems, env).toEqual([]);
      expect(v.metrics.enabled).toBe(true);
      // The chart's root-running helpers stay off; no pod gets an API token.
      expect(v.volumePermissions.enabled).toBe(false);
      expect(v.sysctl.enabled).toBe(false);
      expect(role.automountServiceAccountToken).toBe(false);
      expect(v.serviceAccount.automountServiceAccountToken).toBe(false);
      // The experimental master Service needs RBAC and an API token: not used.
      expect(v.sentinel.masterService.enabled).toBe(false);
      expect(v.rbac.create).toBe(false);
    }
  });

  it('sizes Redis from the spec: standalone for one replica, Sentinel with a majority quorum for more', async () => {
    const model = await defaultModel();
    const dev = redisValuesOf(model, 'development');
    expect(dev.architecture).toBe('standalone');
    expect(dev.sentinel).toBeUndefined();
    expect(dev.master).toMatchObject({
      count: 1,
      resources: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } },
      persistence: { enabled: true, size: '10Gi', storageClass: 'linode-block-storage-retain' },
    });
    expect(dev.image).toMatchObject({ repository: 'bitnamilegacy/redis', tag: '7.4' });
    expect(dev.commonConfiguration).toContain(`maxmemory ${Math.floor(1024 ** 3 * 0.75)}`);

    const prod = redisValuesOf(model, 'production');
    expect(prod.architecture).toBe('replication');
    expect(prod.master).toBeUndefined();
    expect(prod.sentinel).toMatchObject({ enabled: true, quorum: 2, masterSet: 'mymaster' });
    expect(prod.replica).toMatchObject({
      replicaCount: 3,
      resources: { requests: { memory: '4Gi' }, limits: { memory: '4Gi' } },
      // Four general nodes hold three replicas one per node.
      podAntiAffinityPreset: 'hard',
    });
    expect(redisValuesOf(model, 'staging').sentinel.quorum).toBe(2);

    const spec = defaultSpecObject() as V;
    spec.environments.production.dataServices.redis = { replicas: 5, memory: '8Gi', version: '7.2' };
    const big = redisValuesOf(await modelFromSpec(spec), 'production');
    expect(big.sentinel.quorum).toBe(3);
    expect(big.replica.replicaCount).toBe(5);
    // More replicas than the four untainted nodes: spread where possible, but schedule.
    expect(big.replica.podAntiAffinityPreset).toBe('soft');
    // The append-only file is rewritten beside the old one: twice the memory.
    expect(big.replica.persistence.size).toBe('16Gi');
    expect(big.commonConfiguration).toContain(`maxmemory ${6 * 1024 ** 3}`);
    expect(big.image.tag).toBe('7.2');
    expect(big.sentinel.image.tag).toBe('7.2');
  });

  it('reads the password from the Secret envc seals, under exactly the key rotation seals', async () => {
    const model = await defaultModel();
    const libs = await loadKubernetesLibs();
    const sealed = emitKubernetes(model, libs)
      .files.filter((f) => f.path.endsWith('/sealed-secrets.yaml'))
      .flatMap((f) => f.content.split(/^---$/m).map((d) => parse(d) as V | null))
      .filter((o): o is V => o?.metadata?.name === 'redis-credentials');
    for (const env of ['development', 'staging', 'production']) {
      const v = redisValuesOf(model, env);
      expect(v.auth).toMatchObject({
        enabled: true,
        existingSecret: 'redis-credentials',
        usePasswordFiles: true,
        usePasswordFileFromSecret: true,
      });
      // No password in the values, ever.
      expect(v.auth.password).toBeUndefined();
      const inData = sealed.find(
        (o) => o.metadata.namespace === 'data' && o.metadata.labels['envc.io/environment'] === env,
      );
      expect(inData?.metadata.annotations['envc.io/keys'], env).toBe(v.auth.existingSecretPasswordKey);
      // envc's NetworkPolicies govern the namespace; the chart's own would admit any pod.
      expect(v.networkPolicy.enabled).toBe(false);
      expect(v.metrics.serviceMonitor.enabled).toBe(true);
      expect(v.fullnameOverride).toBe('redis');
    }
  });
});

describe('password reloader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envc-redis-reloader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid bash and carries no Helm template markers', () => {
    for (const sentinel of [false, true]) {
      const script = reloaderScript(sentinel);
      expect(script).not.toContain('{{');
      const r = spawnSync('bash', ['-n', '-c', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('adds a rotated password beside the old one, then moves replication and Sentinel to it, never in argv', async () => {
    // A stand-in redis-cli over a state directory: the passwords Redis accepts, and a log of every call.
    const state = join(dir, 'state');
    writeFileSync(state, 'old\n');
    const log = join(dir, 'calls.log');
    const cli = join(dir, 'redis-cli');
    writeFileSync(
      cli,
      [
        '#!/bin/bash',
        'stdin=""; for a in "$@"; do [ "$a" = -x ] && stdin="$(cat)"; done',
        `echo "argv=$* auth=$REDISCLI_AUTH stdin=$stdin" >> ${log}`,
        // Sentinel asks for no password (auth.sentinel: false); Redis does.
        `case "$*" in *26379*) echo OK; exit 0 ;; esac`,
        `grep -qx -- "$REDISCLI_AUTH" ${state} || { echo "WRONGPASS"; exit 0; }`,
        'case "$*" in',
        '  *PING*) echo PONG ;;',
        `  *"ACL SETUSER default on"*) echo "\${stdin#>}" >> ${state}; echo OK ;;`,
        '  *) echo OK ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(cli, 0o755);
    const file = join(dir, 'redis-password');
    writeFileSync(file, 'old');
    // The script as shipped, pointed at this directory and polling faster.
    const script = reloaderScript(true)
      .replace('/secrets/redis/redis-password', file)
      .replace('sleep 5', 'sleep 0.1');
    const child = spawn('bash', ['-c', script], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      // Nothing changed: nothing called.
      expect(existsSync(log)).toBe(false);
      writeFileSync(file, 'n3w-password');
      for (let i = 0; i < 100 && !stdout.includes('reloaded'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain('redis password reloaded from the redis-credentials Secret');
      // Both passwords now work: clients not restarted yet keep connecting.
      expect(readFileSync(state, 'utf8').trim().split('\n')).toEqual(['old', 'n3w-password']);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls).toEqual([
        'argv=-p 6379 PING auth=n3w-password stdin=',
        'argv=-p 6379 -x ACL SETUSER default on auth=old stdin=>n3w-password',
        'argv=-p 6379 -x CONFIG SET masterauth auth=n3w-password stdin=n3w-password',
        'argv=-p 26379 -x SENTINEL SET mymaster auth-pass auth= stdin=n3w-password',
      ]);
      for (const c of calls) expect(c.split(' auth=')[0], c).not.toContain('n3w-password');
    } finally {
      child.kill();
    }
  });
});
