/**
 * The in-cluster Redis release (redis-ha, ADR 0018), end to end on envc's side: the chart and images are the
 * maintained ones (no Bitnami image), every container the chart renders passes Pod Security `restricted`, the
 * size and the Sentinel quorum follow the spec, the password comes from the Secret envc seals (exactly the key
 * it seals), and the password reloader — run for real with POSIX sh against a stand-in redis-cli — switches
 * Redis to a rotated password without a restart. That every key exists in the pinned chart is
 * helm-chart-keys.test.ts's job (test/fixtures/helm-charts/redis.keys.json).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

const keySet = JSON.parse(
  readFileSync(new URL('../fixtures/helm-charts/redis.keys.json', import.meta.url), 'utf8'),
) as { chart: string; version: string; sources: Array<{ repository: string }> };

function redisValuesOf(model: Model, env: string): V {
  const f = emitHelm(model).find((x) => x.path === `helm/values/${env}/redis.yaml`);
  expect(f, `helm/values/${env}/redis.yaml`).toBeDefined();
  return parse(f!.content) as V;
}

/** The Pod Security Standards `restricted` fields of one container's securityContext (and the pod's). */
function restrictedProblems(who: string, sc: V | undefined, pod: V): string[] {
  const out: string[] = [];
  if (!sc) return [`${who}: no securityContext`];
  if (sc.privileged) out.push(`${who}: privileged`);
  if (sc.allowPrivilegeEscalation !== false) out.push(`${who}: allowPrivilegeEscalation not false`);
  if (sc.runAsNonRoot !== true || sc.runAsUser === 0) out.push(`${who}: may run as root`);
  if (sc.seccompProfile?.type !== 'RuntimeDefault') out.push(`${who}: seccomp ${sc.seccompProfile?.type}`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${who}: does not drop ALL`);
  if ((sc.capabilities?.add ?? []).length > 0) out.push(`${who}: adds capabilities`);
  if (pod.runAsNonRoot !== true || pod.runAsUser === 0) out.push(`${who}: pod may run as root`);
  if ((pod.sysctls ?? []).length > 0) out.push(`${who}: sets sysctls`);
  return out;
}

describe('redis values for redis-ha', () => {
  it('pins a maintained chart and images: redis-ha on the official Redis image, nothing from Bitnami', async () => {
    expect(CHARTS.redis).toEqual({
      release: 'redis',
      repository: 'https://dandydeveloper.github.io/charts',
      chart: 'redis-ha',
      version: '4.39.0',
    });
    // The key set the chart-keys test checks against is this chart at this version.
    expect(keySet).toMatchObject({ chart: 'redis-ha', version: CHARTS.redis.version });
    expect(keySet.sources.map((x) => x.repository)).toEqual(['DandyDeveloper/charts']);
    const model = await defaultModel();
    for (const env of ['development', 'staging', 'production']) {
      const v = redisValuesOf(model, env);
      const images = [
        `${v.image.repository}:${v.image.tag}`,
        `${v.exporter.image}:${v.exporter.tag}`,
        ...v.extraContainers.map((c: V) => c.image),
      ];
      for (const i of images) expect(i, env).not.toMatch(/bitnami/);
      expect(v.image.repository).toBe('public.ecr.aws/docker/library/redis');
      expect(v.exporter.image).toBe('quay.io/oliver006/redis_exporter');
    }
  });

  it('passes Pod Security restricted in every container the chart renders, with no root helper', async () => {
    const model = await defaultModel();
    for (const env of ['development', 'production']) {
      const v = redisValuesOf(model, env);
      // redis-ha gives one containerSecurityContext to all of its containers: Redis, Sentinel, the exporter,
      // the config init and the split-brain fixer.
      const problems = [
        ...restrictedProblems('chart containers', v.containerSecurityContext, v.securityContext),
        ...v.extraContainers.map((c: V) => restrictedProblems(c.name, c.securityContext, v.securityContext)),
      ].flat();
      expect(problems, env).toEqual([]);
      // Every container's root file system is read-only: the chart's (they write only under /data) and envc's.
      expect(v.containerSecurityContext.readOnlyRootFilesystem, env).toBe(true);
      for (const c of v.extraContainers) expect(c.securityContext.readOnlyRootFilesystem, c.name).toBe(true);
      expect(v.exporter.enabled).toBe(true);
      // The chart's root-running helpers stay off (sysctl init, hostPath chown); no pod gets an API token.
      expect(v.sysctlImage.enabled).toBe(false);
      expect(v.hostPath).toBeUndefined();
      expect(v.serviceAccount.automountToken).toBe(false);
      expect(v.rbac.create).toBe(false);
      expect(v.haproxy.enabled).toBe(false);
    }
  });

  it('sizes Redis from the spec: a lone primary for one replica, Sentinel with a majority quorum for more', async () => {
    const model = await defaultModel();
    const dev = redisValuesOf(model, 'development');
    expect(dev).toMatchObject({
      replicas: 1,
      sentinel: { quorum: 1 },
      redis: {
        resources: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } },
        // Nothing to replicate to: writes must not wait for a replica.
        config: { 'min-replicas-to-write': 0, maxmemory: String(Math.floor(1024 ** 3 * 0.75)) },
      },
      persistentVolume: { enabled: true, size: '10Gi', storageClass: 'linode-block-storage-retain' },
      image: { tag: '7.4-alpine' },
    });

    const prod = redisValuesOf(model, 'production');
    expect(prod).toMatchObject({
      replicas: 3,
      sentinel: { quorum: 2, config: { 'down-after-milliseconds': 10_000 } },
      redis: {
        masterGroupName: 'mymaster',
        resources: { requests: { memory: '4Gi' }, limits: { memory: '4Gi' } },
        config: { 'min-replicas-to-write': 1 },
      },
      // Four general nodes hold three replicas one per node.
      hardAntiAffinity: true,
    });
    expect(redisValuesOf(model, 'staging').sentinel.quorum).toBe(2);

    const spec = defaultSpecObject() as V;
    spec.environments.production.dataServices.redis = { replicas: 5, memory: '8Gi', version: '7.2' };
    const big = redisValuesOf(await modelFromSpec(spec), 'production');
    expect(big.sentinel.quorum).toBe(3);
    expect(big.replicas).toBe(5);
    // More replicas than the four untainted nodes: spread where possible, but schedule.
    expect(big.hardAntiAffinity).toBe(false);
    // The append-only file is rewritten beside the old one: twice the memory.
    expect(big.persistentVolume.size).toBe('16Gi');
    expect(big.redis.config.maxmemory).toBe(String(6 * 1024 ** 3));
    expect(big.image.tag).toBe('7.2-alpine');
    // The reloader runs the same image, so its redis-cli matches the server.
    expect(big.extraContainers[0].image).toBe('public.ecr.aws/docker/library/redis:7.2-alpine');
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
      expect(v).toMatchObject({ auth: true, existingSecret: 'redis-credentials' });
      // No password in the values, ever.
      expect(v.redisPassword).toBeUndefined();
      const inData = sealed.find(
        (o) => o.metadata.namespace === 'data' && o.metadata.labels['envc.io/environment'] === env,
      );
      expect(inData?.metadata.annotations['envc.io/keys'], env).toBe(v.authKey);
      // The reloader's file is the same key of the same Secret.
      expect(v.extraVolumes).toEqual([
        {
          name: 'redis-password',
          secret: { secretName: 'redis-credentials', items: [{ key: v.authKey, path: 'redis-password' }] },
        },
      ]);
      // envc's NetworkPolicies govern the namespace and select the pods by this label.
      expect(v.networkPolicy.enabled).toBe(false);
      expect(v.labels).toEqual({ 'app.kubernetes.io/name': 'redis' });
      expect(v.exporter.serviceMonitor.enabled).toBe(true);
      expect(v.fullnameOverride).toBe('redis');
    }
  });
});

describe('password reloader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envc-redis-reloader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid POSIX sh (the Alpine image has no bash) and carries no Helm template markers', () => {
    for (const sentinel of [false, true]) {
      const script = reloaderScript(sentinel);
      expect(script).not.toContain('{{');
      const r = spawnSync('sh', ['-n', '-c', script], { encoding: 'utf8' });
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
    const child = spawn('sh', ['-c', script], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    // Resolves when the script says it reloaded: no deadline of our own (a loaded machine only makes it later).
    const reloaded = new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('reloaded')) resolve();
      }),
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      // Nothing changed: nothing called.
      expect(existsSync(log)).toBe(false);
      // The kubelet updates a mounted Secret atomically (a symlink swap), so the script never reads half a
      // file: replace it the same way (an in-place write can be read torn, "old" + "-password").
      writeFileSync(`${file}.next`, 'n3w-password');
      renameSync(`${file}.next`, file);
      await reloaded;
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
