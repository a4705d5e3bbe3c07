/**
 * Values of the in-cluster Redis (redis-ha from DandyDeveloper/charts, pinned in terraform/versions.ts CHARTS;
 * ADR 0018), sized from the spec's `dataServices.redis`: every pod runs Redis with Sentinel beside it; one
 * replica is a lone primary clients reach at `redis:6379`, more are a primary with replicas, and a majority
 * quorum of the sentinels promotes a replica when the primary fails (clients ask Sentinel at `redis:26379`).
 * The password comes from the `redis-credentials` Secret envc declares and rotates (never from the values);
 * pods pass the Pod Security Standards `restricted` profile; the exporter is scraped through a ServiceMonitor.
 * Pure.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { capacity } from '../../rules/quota-capacity.js';
import {
  REDIS_MASTER_SET,
  REDIS_PASSWORD_KEY,
  REDIS_SECRET,
  REDIS_SENTINEL_PORT,
  redisEndpoint,
} from '../handoff/conventions.js';
import { COMPONENTS, LABEL, PORTS } from '../kubernetes/platform.js';
import type { Values } from './values.js';
import { STORAGE_CLASS } from './values.js';

/**
 * Where the images come from: Docker's official Redis image (through its public ECR mirror, the chart's own
 * default, which has no pull-rate limit) and the exporter's upstream image — both maintained, neither behind a
 * vendor's terms (ADR 0018; Bitnami froze its free images in September 2025). Redis and Sentinel run the
 * spec's `version` (a rolling major.minor tag) on Alpine.
 */
export const REDIS_IMAGES = {
  redis: 'public.ecr.aws/docker/library/redis',
  tagSuffix: '-alpine',
  exporter: 'quay.io/oliver006/redis_exporter',
  exporterTag: 'v1.86.0',
} as const;

/** The uid/gid the chart runs Redis and Sentinel as (its default; the data volume is group-owned). */
const RUN_AS = 1000;

/** Share of the container's memory Redis may fill with data; the rest is for the AOF rewrite fork and buffers. */
const MAXMEMORY_SHARE = 0.75;

/** Linode Block Storage volumes hold at least 10Gi. */
const MIN_VOLUME_GI = 10;

const GiB = 1024 ** 3;

/** Pod Security Standards `restricted`, for every container of the release (Redis, Sentinel, exporter, reloader). */
export function restrictedSecurityContext(): Values {
  return {
    runAsUser: RUN_AS,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export interface RedisSizing {
  replicas: number;
  /** The spec's `memory`, as written: the container's memory request and limit. */
  memory: string;
  sentinel: boolean;
  /** Majority of the Sentinels (one per pod). */
  quorum: number;
  memoryBytes: number;
  maxmemoryBytes: number;
  cpuRequest: string;
  volumeGi: number;
  /** One pod per node, when the untainted pools have enough nodes. */
  spreadHard: boolean;
}

export function redisSizing(env: EnvironmentModel): RedisSizing | undefined {
  const r = env.dataServices.redis;
  if (!r) return undefined;
  const memoryBytes = r.memory.value;
  const gi = memoryBytes / GiB;
  return {
    replicas: r.replicas,
    memory: r.memory.text,
    sentinel: r.replicas > 1,
    quorum: Math.floor(r.replicas / 2) + 1,
    memoryBytes,
    maxmemoryBytes: Math.floor(memoryBytes * MAXMEMORY_SHARE),
    cpuRequest: gi <= 1 ? '100m' : gi <= 4 ? '250m' : '500m',
    // The append-only file is rewritten beside the old one: room for twice the data.
    volumeGi: Math.max(MIN_VOLUME_GI, Math.ceil(2 * gi)),
    spreadHard: r.replicas <= capacity(env).nodes,
  };
}

/** Where the reloader reads the password (a file the kubelet updates when the sealed Secret changes). */
const RELOADER_VOLUME = 'redis-password';
const RELOADER_MOUNT = '/secrets/redis';
const RELOADER_FILE = 'redis-password';

/**
 * Keeps a pod's Redis in step with the mounted `redis-credentials` Secret without a restart. When a rotation
 * seals a new password the kubelet updates the file; the new password is added next to the old one (Redis
 * ACLs hold several), so clients that have not restarted yet keep working — and so do the chart's probes and
 * exporter, which read the password from the environment once, at start — and replication and Sentinel switch
 * to it. The old password ends with the pod. POSIX sh (the Alpine image has no bash); passwords go through
 * stdin (`-x`), never argv.
 */
export function reloaderScript(sentinel: boolean): string {
  const ok = (cmd: string) => `[ "$(${cmd})" = OK ] || continue`;
  return [
    'set -u',
    `file=${RELOADER_MOUNT}/${RELOADER_FILE}`,
    'current="$(cat "$file")"',
    'while sleep 5; do',
    '  next="$(cat "$file" 2>/dev/null)" || continue',
    '  { [ -n "$next" ] && [ "$next" != "$current" ]; } || continue',
    '  # A Redis restarted since already runs on the new password; otherwise add it beside the old one.',
    `  if [ "$(REDISCLI_AUTH="$next" redis-cli -p ${PORTS.redis} PING 2>/dev/null)" != PONG ]; then`,
    `    ${ok(`printf '>%s' "$next" | REDISCLI_AUTH="$current" redis-cli -p ${PORTS.redis} -x ACL SETUSER default on`)}`,
    '  fi',
    `  ${ok(`printf '%s' "$next" | REDISCLI_AUTH="$next" redis-cli -p ${PORTS.redis} -x CONFIG SET masterauth`)}`,
    ...(sentinel
      ? [
          `  ${ok(`printf '%s' "$next" | redis-cli -p ${REDIS_SENTINEL_PORT} -x SENTINEL SET ${REDIS_MASTER_SET} auth-pass`)}`,
        ]
      : []),
    '  current="$next"',
    '  echo "redis password reloaded from the redis-credentials Secret"',
    'done',
    '',
  ].join('\n');
}

/** The Secret's password key as a file, for the reloader (the chart's containers read it from the environment). */
function passwordVolume(): Values {
  return {
    name: RELOADER_VOLUME,
    secret: { secretName: REDIS_SECRET, items: [{ key: REDIS_PASSWORD_KEY, path: RELOADER_FILE }] },
  };
}

function reloader(image: string, sentinel: boolean): Values {
  return {
    name: 'password-reloader',
    // The same Redis image, so redis-cli matches the server.
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c'],
    args: [reloaderScript(sentinel)],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
    securityContext: { ...restrictedSecurityContext(), readOnlyRootFilesystem: true },
    volumeMounts: [{ name: RELOADER_VOLUME, mountPath: RELOADER_MOUNT, readOnly: true }],
  };
}

function nano(cpu: string, memory: string, limit: string): Values {
  return { requests: { cpu, memory }, limits: { memory: limit } };
}

export function redisValues(model: Model, env: EnvironmentModel): Values | undefined {
  const r = env.dataServices.redis;
  const s = redisSizing(env);
  const endpoint = redisEndpoint(env);
  if (!r || !s || !endpoint) return undefined;
  const rule = (alert: string, expr: string, severity: 'critical' | 'warning', summary: string) => ({
    alert,
    expr,
    for: '5m',
    labels: { channel: model.slack.channel, environment: env.name, severity },
    annotations: { summary },
  });
  const ns = COMPONENTS.redis.namespace;
  const tag = `${r.version}${REDIS_IMAGES.tagSuffix}`;
  return {
    // Service and pod names the handoff, the NetworkPolicies and `envc traffic` rely on (redis, redis-server-N).
    fullnameOverride: COMPONENTS.redis.name,
    // The label envc's NetworkPolicies select Redis pods by, beside the chart's own (app, release).
    labels: COMPONENTS.redis.labels,
    extraLabels: { [LABEL.environment]: env.name },
    image: { repository: REDIS_IMAGES.redis, tag, pullPolicy: 'IfNotPresent' },
    replicas: s.replicas,
    auth: true,
    existingSecret: REDIS_SECRET,
    authKey: REDIS_PASSWORD_KEY,
    redis: {
      masterGroupName: REDIS_MASTER_SET,
      config: {
        appendonly: 'yes',
        save: '""',
        maxmemory: String(s.maxmemoryBytes),
        // Keys with a TTL (caches) make room; keys without one (sessions, queues) are never evicted.
        'maxmemory-policy': 'volatile-lru',
        // A lone primary has no replica to wait for; with replicas, a write needs one (the chart's default).
        'min-replicas-to-write': s.sentinel ? 1 : 0,
      },
      resources: {
        // Memory requested as limited: a datastore is not a candidate for overcommit.
        requests: { cpu: s.cpuRequest, memory: s.memory },
        // No CPU limit: Redis is single-threaded and throttling only adds latency.
        limits: { memory: s.memory },
      },
    },
    sentinel: {
      quorum: s.quorum,
      // Sentinel only tells where the primary is; the NetworkPolicies admit the declared clients only.
      auth: false,
      // A primary unreachable for 10 s is replaced.
      config: { 'down-after-milliseconds': 10_000 },
      resources: nano('50m', '64Mi', '128Mi'),
    },
    hardAntiAffinity: s.spreadHard,
    persistentVolume: {
      enabled: true,
      storageClass: STORAGE_CLASS,
      accessModes: ['ReadWriteOnce'],
      size: `${s.volumeGi}Gi`,
    },
    podDisruptionBudget: { maxUnavailable: 1 },
    securityContext: { runAsUser: RUN_AS, fsGroup: RUN_AS, runAsNonRoot: true },
    // The chart renders this map whole (compatibility.renderSecurityContext → toYaml) into every container:
    // config init, Redis, Sentinel, the split-brain fixer and the exporter. All of them write only under
    // /data (the config is copied to /data/conf and edited there; `sed -i` writes beside its file), so the
    // root file system can be read-only.
    containerSecurityContext: { ...restrictedSecurityContext(), readOnlyRootFilesystem: true },
    init: { resources: nano('10m', '16Mi', '64Mi') },
    splitBrainDetection: { resources: nano('10m', '16Mi', '64Mi') },
    // No pod talks to the Kubernetes API: no token, no Role, and none of the chart's root helpers.
    serviceAccount: { create: true, automountToken: false },
    rbac: { create: false },
    sysctlImage: { enabled: false },
    haproxy: { enabled: false },
    // envc's NetworkPolicies govern the `data` namespace.
    networkPolicy: { enabled: false },
    extraVolumes: [passwordVolume()],
    extraContainers: [reloader(`${REDIS_IMAGES.redis}:${tag}`, s.sentinel)],
    exporter: {
      enabled: true,
      image: REDIS_IMAGES.exporter,
      tag: REDIS_IMAGES.exporterTag,
      resources: nano('50m', '64Mi', '128Mi'),
      serviceMonitor: { enabled: true, interval: '30s' },
    },
    prometheusRule: {
      enabled: true,
      rules: [
        rule(
          'RedisDown',
          `redis_up{namespace="${ns}"} == 0`,
          'critical',
          `Redis in ${env.name} does not answer its exporter`,
        ),
        rule(
          'RedisMemoryHigh',
          `redis_memory_used_bytes{namespace="${ns}"} / redis_memory_max_bytes{namespace="${ns}"} > 0.9 and redis_memory_max_bytes{namespace="${ns}"} > 0`,
          'warning',
          `Redis in ${env.name} uses over 90% of maxmemory; keys with a TTL are being evicted (dataServices.redis.memory)`,
        ),
      ],
    },
  };
}
