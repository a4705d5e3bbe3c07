/**
 * Values of the in-cluster Redis (bitnami/redis, pinned in terraform/versions.ts CHARTS), sized from the spec's
 * `dataServices.redis`: one replica runs standalone (`redis-master`), more run as a primary with replicas and
 * Sentinel beside each (a majority quorum promotes a replica when the primary fails). The password comes from
 * the `redis-credentials` Secret envc declares and rotates (never from the values); pods pass the Pod Security
 * Standards `restricted` profile; the exporter is scraped through a ServiceMonitor. Pure.
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
 * Where the images come from. Bitnami stopped serving its versioned Debian images from docker.io/bitnami in
 * September 2025 (bitnami/charts#35164), so the chart's own image defaults no longer pull; the same images are
 * kept, frozen and without security updates, in docker.io/bitnamilegacy. Point this at a registry you keep up
 * to date (a mirror, or a Bitnami Secure Images subscription). Redis and Sentinel use the spec's `version` as
 * their (rolling major.minor) tag.
 */
export const REDIS_IMAGES = {
  registry: 'docker.io',
  redis: 'bitnamilegacy/redis',
  sentinel: 'bitnamilegacy/redis-sentinel',
  exporter: 'bitnamilegacy/redis-exporter',
  exporterTag: '1.76.0-debian-12-r0',
} as const;

/** The uid/gid the Bitnami images run as. */
const RUN_AS = 1001;

/** Share of the container's memory Redis may fill with data; the rest is for the AOF rewrite fork and buffers. */
const MAXMEMORY_SHARE = 0.75;

/** Linode Block Storage volumes hold at least 10Gi. */
const MIN_VOLUME_GI = 10;

const GiB = 1024 ** 3;

/** Pod Security Standards `restricted`, for every container of the release (Redis, Sentinel, exporter, reloader). */
export function restrictedSecurityContext(): Values {
  return {
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The same in the chart's shape (its `*.containerSecurityContext` has an `enabled` switch). */
function restrictedContainer(): Values {
  return { enabled: true, ...restrictedSecurityContext() };
}

function restrictedPod(): Values {
  return { enabled: true, fsGroup: RUN_AS, fsGroupChangePolicy: 'OnRootMismatch', sysctls: [] };
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

/**
 * Keeps a pod's Redis in step with the mounted `redis-credentials` Secret without a restart. When a rotation
 * seals a new password the kubelet updates the file; the new password is added next to the old one (Redis
 * ACLs hold several), so clients that have not restarted yet keep working, and replication and Sentinel switch
 * to it. The old password ends with the pod. The Bitnami health probes read the file on every run, so the
 * reloader polls more often than a probe would fail. Passwords go through stdin (`-x`), never argv.
 */
export function reloaderScript(sentinel: boolean): string {
  const ok = (cmd: string) => `[ "$(${cmd})" = OK ] || continue`;
  return [
    'set -u',
    'file=/secrets/redis/redis-password',
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

function reloader(sentinel: boolean): Values {
  return {
    name: 'password-reloader',
    // Rendered by the chart (tpl): the same Redis image, so redis-cli matches the server.
    image: '{{ include "redis.image" . }}',
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/bash', '-c'],
    args: [reloaderScript(sentinel)],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
    securityContext: restrictedSecurityContext(),
    volumeMounts: [{ name: 'redis-password', mountPath: '/secrets/redis', readOnly: true }],
  };
}

/** The pods of one role (standalone primary, or Sentinel nodes): size, storage, security and placement. */
function pods(s: RedisSizing, extra: Values): Values {
  return {
    ...extra,
    resources: {
      // Memory requested as limited: a datastore is not a candidate for overcommit.
      requests: { cpu: s.cpuRequest, memory: s.memory },
      // No CPU limit: Redis is single-threaded and throttling only adds latency.
      limits: { memory: s.memory },
    },
    podSecurityContext: restrictedPod(),
    containerSecurityContext: restrictedContainer(),
    automountServiceAccountToken: false,
    podAntiAffinityPreset: s.spreadHard ? 'hard' : 'soft',
    persistence: {
      enabled: true,
      storageClass: STORAGE_CLASS,
      accessModes: ['ReadWriteOnce'],
      size: `${s.volumeGi}Gi`,
    },
    pdb: { create: true, maxUnavailable: 1 },
    sidecars: [reloader(s.sentinel)],
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
  return {
    // Service and pod names the handoff, the NetworkPolicies and `envc traffic` rely on (redis-master, redis).
    fullnameOverride: COMPONENTS.redis.name,
    commonLabels: { [LABEL.environment]: env.name },
    // Required by the chart for any image but its own defaults (see REDIS_IMAGES).
    global: { security: { allowInsecureImages: true } },
    image: { registry: REDIS_IMAGES.registry, repository: REDIS_IMAGES.redis, tag: r.version },
    architecture: s.sentinel ? 'replication' : 'standalone',
    auth: {
      enabled: true,
      // Sentinel only tells where the primary is; the NetworkPolicies admit the declared clients only.
      sentinel: false,
      existingSecret: REDIS_SECRET,
      existingSecretPasswordKey: REDIS_PASSWORD_KEY,
      // A file, not an env var: the reloader and the probes see a rotated password without a restart.
      usePasswordFiles: true,
      usePasswordFileFromSecret: true,
    },
    commonConfiguration: [
      'appendonly yes',
      'save ""',
      `maxmemory ${s.maxmemoryBytes}`,
      // Keys with a TTL (caches) make room; keys without one (sessions, queues) are never evicted.
      'maxmemory-policy volatile-lru',
    ].join('\n'),
    ...(s.sentinel
      ? {
          replica: pods(s, { replicaCount: s.replicas }),
          sentinel: {
            enabled: true,
            image: { registry: REDIS_IMAGES.registry, repository: REDIS_IMAGES.sentinel, tag: r.version },
            masterSet: REDIS_MASTER_SET,
            quorum: s.quorum,
            // A primary unreachable for 10 s is replaced (the chart's default waits a minute).
            downAfterMilliseconds: 10_000,
            resources: nano('50m', '64Mi', '128Mi'),
            containerSecurityContext: restrictedContainer(),
          },
        }
      : { master: pods(s, { count: 1 }) }),
    serviceAccount: { create: true, automountServiceAccountToken: false },
    // envc's NetworkPolicies govern the `data` namespace; the chart's would admit any pod (allowExternal).
    networkPolicy: { enabled: false },
    metrics: {
      enabled: true,
      image: {
        registry: REDIS_IMAGES.registry,
        repository: REDIS_IMAGES.exporter,
        tag: REDIS_IMAGES.exporterTag,
      },
      resources: nano('50m', '64Mi', '128Mi'),
      containerSecurityContext: restrictedContainer(),
      serviceMonitor: { enabled: true, interval: '30s' },
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
    },
  };
}
