/**
 * The normalized model: what every emitter and rule reads. Nothing is left implicit — defaults are applied,
 * `{env}` placeholders expanded, per-environment overrides resolved, sizes parsed into numbers.
 * The raw spec types (spec.generated.ts) come from the JSON Schema; this shape is envc's own.
 */
import type { EnvcEnvironmentsYaml } from './spec.generated.js';

export type Spec = EnvcEnvironmentsYaml;

/** Where a piece of the model came from: the spec path a person edits and its position in the file. */
export interface Origin {
  /** Dotted spec path, e.g. `environments.production.cluster.pools[1]`. */
  path: string;
  file: string;
  line: number;
  column: number;
}

export type Tier = 'production' | 'non-production' | 'system';

export interface Quantity {
  /** As written in the spec, e.g. "250m" or "512Mi". */
  text: string;
  /** CPU in millicores or memory in bytes. */
  value: number;
}

export interface ResourcePair {
  cpu: Quantity;
  memory: Quantity;
}

export interface PoolModel {
  name: string;
  type: string;
  count: number;
  scaleToZero: boolean;
  autoscaler?: { min: number; max: number };
  labels: Record<string, string>;
  taints: Array<{ key: string; value: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }>;
  updateStrategy: 'rolling_update' | 'on_recycle';
  isGpu: boolean;
  /** Per-node allocatable capacity (known Linode plans; undefined for an unknown plan). */
  nodeAllocatable?: { cpuMillis: number; memoryBytes: number };
  origin: Origin;
}

export interface FirewallRuleModel {
  label: string;
  action: 'ACCEPT' | 'DROP';
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'IPENCAP';
  ports?: string;
  ipv4: string[];
  ipv6: string[];
  description?: string;
  origin: Origin;
}

export interface DnsRecordModel {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'CAA' | 'MX' | 'SRV' | 'NS';
  target: string;
  ttl: number;
  tag?: 'issue' | 'issuewild' | 'iodef';
  priority?: number;
  origin: Origin;
}

export interface ApprovalPolicy {
  required: boolean;
  /** Slack user ids (U.../W...), user group ids (S...) or handles (@group). */
  approvers: string[];
  minApprovals: number;
  expiresAfter: string;
  expiresAfterSeconds: number;
  allowDestroy: boolean;
  origin: Origin;
}

/** One service as deployed in one environment. */
export interface ServiceInstance {
  name: string;
  owner: string;
  /** Namespace it runs in (the owner's namespace). */
  namespace: string;
  description?: string;
  image: string;
  port: number;
  health: string;
  metrics?: { port: number; path: string };
  resources: { requests: ResourcePair; limits: ResourcePair };
  replicas: number;
  autoscaling?: { min: number; max: number; targetCPUUtilization: number };
  ingress?: { host: string; path: string; origin: Origin };
  dataServices: Array<'postgres' | 'redis'>;
  secrets: string[];
  /** `<namespace>/<service>` sources allowed in (the `envc.io/allow-from` override). */
  allowFrom: string[];
  /** GPUs per pod and the GPU pool to run on (helm/gpu.ts places the pods). */
  gpu?: { count: number; pool?: string; origin: Origin };
  origin: Origin;
}

export interface NamespaceModel {
  name: string;
  /** `app` namespaces hold services (PSA restricted); `platform` namespaces hold add-ons. */
  kind: 'app' | 'platform';
  owner: string;
  services: string[];
}

export interface AccessPolicyModel {
  name: string;
  description?: string;
  environments: string[];
  role: 'view' | 'debug' | 'edit' | 'admin';
  scope: 'namespace' | 'cluster';
  /** Explicit namespaces, or undefined for every app namespace of the environment. */
  namespaces?: string[];
  maxDuration: string;
  maxDurationSeconds: number;
  approvers: string[];
  minApprovals: number;
  breakGlass: boolean;
  groups: string[];
  origin: Origin;
}

export type SecretSource = 'linode-object-storage-key' | 'linode-database-credentials' | 'generated';

export interface SecretModel {
  name: string;
  description?: string;
  source: SecretSource;
  rotateEvery: string;
  rotateEverySeconds: number;
  /** 0 for database credentials: a reset invalidates the old password at once. */
  gracePeriodSeconds: number;
  gracePeriod?: string;
  environments: string[];
  /** The spec said `environments: [all]` (hints must not tell the user to remove one name from it). */
  environmentsAll?: true;
  usedBy: string[];
  scope: 'strict' | 'namespace-wide';
  bucketTemplate?: string;
  access: 'read_only' | 'read_write';
  length: number;
  alphabet: 'alphanumeric' | 'hex' | 'base64url' | 'printable';
  /**
   * A `generated` secret's key in the Secret (`value` unless set). Declared by envc, not the spec, for
   * platform secrets such as Redis' `password`.
   */
  key?: string;
  /**
   * Declared by envc itself, not in the spec (see PLATFORM_SECRETS): `origin` points at the spec block that
   * makes it exist, and `usedBy` is derived per environment.
   */
  platform?: boolean;
  origin: Origin;
}

/**
 * Secrets envc declares itself because a platform component needs one: the in-cluster Redis reads its
 * password from `redis-credentials` in the `data` namespace, and every service using Redis mounts the same
 * Secret in its own namespace. envc's rotation generates and seals it (one writer per namespace).
 */
export const PLATFORM_SECRETS = {
  redis: {
    name: 'redis-credentials',
    description: 'Password of the in-cluster Redis (declared by envc for every environment with Redis).',
    key: 'password',
    rotateEvery: '90d',
    length: 32,
    alphabet: 'alphanumeric',
    /** Where the Redis release runs (its pods read the password there). */
    namespace: 'data',
  },
} as const;

/** One secret as present in one environment. */
export interface SecretInstance {
  name: string;
  source: SecretSource;
  /** Namespaces that receive the sealed secret (those of the services using it). */
  namespaces: string[];
  bucket?: string;
  rotateEverySeconds: number;
  gracePeriodSeconds: number;
  scope: 'strict' | 'namespace-wide';
  usedBy: string[];
  /** A `generated` secret's key in the Secret (SecretModel.key). */
  key?: string;
}

export interface EnvironmentModel {
  name: string;
  tier: Tier;
  description?: string;
  region: string;
  kubernetesVersion: string;
  /** prevent_destroy on cluster and databases. */
  protected: boolean;
  /** Monthly spending limit (`budget`), checked by rule ENVC2025 against the cost model (src/cost). */
  budget?: { monthly: number; currency: 'USD'; origin: Origin };
  hosts: Array<'argocd' | 'bot' | 'observability'>;
  /** Every tag for Linode resources: env:, platform:, managed-by:envc, owner: plus defaults.tags. */
  tags: string[];
  cluster: {
    label: string;
    highAvailability: boolean;
    controlPlaneAcl: {
      enabled: boolean;
      /** Everything the ACL admits: the spec's own ranges, then `platform` and `ci` (platform-access.ts). */
      ipv4: string[];
      ipv6: string[];
      /** The ArgoCD/bot host's `network.nodeEgress` added to this ACL. */
      platform: string[];
      /** The top-level `ci` ranges added to this ACL. */
      ci: string[];
      origin?: Origin;
    };
    /** LKE tier: enterprise carries audit logs (and VPC placement). */
    tier: 'standard' | 'enterprise';
    /** Pod and Service networks (LKE: 10.2.0.0/16 and 10.128.0.0/16). */
    podCidr: string;
    serviceCidr: string;
    auditLogs: boolean;
    pools: PoolModel[];
    origin: Origin;
  };
  network: {
    firewall: {
      label: string;
      inboundPolicy: 'ACCEPT' | 'DROP';
      outboundPolicy: 'ACCEPT' | 'DROP';
      inbound: FirewallRuleModel[];
      outbound: FirewallRuleModel[];
      origin: Origin;
    };
    egressAllowlist: Array<{
      name: string;
      cidrs: string[];
      ports: number[];
      protocol: 'TCP' | 'UDP';
      origin: Origin;
    }>;
    dns: { zone: string; soaEmail: string; records: DnsRecordModel[]; origin: Origin };
    /** Public IPv4 ranges the nodes reach other services from (reserved IPs or NAT). */
    nodeEgress: string[];
    vpc?: { subnet: string; origin: Origin };
  };
  quotas: {
    services: number;
    perService: { requests: ResourcePair; limits: ResourcePair };
    podsPerService: number;
    /** services × perService. */
    total: {
      requests: { cpuMillis: number; memoryBytes: number };
      limits: { cpuMillis: number; memoryBytes: number };
      pods: number;
    };
    origin: Origin;
  };
  dataServices: {
    postgres?: {
      label: string;
      type: string;
      version: string;
      engineId: string;
      nodes: 1 | 2 | 3;
      /** Everything the database admits: the spec's allowList, the nodes' egress and the VPC subnet. */
      allowList: string[];
      origin: Origin;
    };
    redis?: { replicas: number; memory: Quantity; version: string; origin: Origin };
  };
  observability: {
    retention: string;
    logsRetention: string;
    tracesRetention: string;
    retentionSeconds: number;
    /** Dead-man's switch URL the Watchdog alert pings (helm/kube-prometheus-stack.ts). */
    heartbeatUrl?: string;
  };
  argocd: { autoSync: boolean };
  approvals: ApprovalPolicy;
  /** Namespaces envc manages in this environment, sorted by name. */
  namespaces: NamespaceModel[];
  /** Services deployed here, sorted by name. */
  services: ServiceInstance[];
  /** Access policies that cover this environment (names). */
  accessPolicies: string[];
  /** Secrets present in this environment, sorted by name. */
  secrets: SecretInstance[];
  origin: Origin;
}

export interface WaiverModel {
  rule: string;
  path?: string;
  reason: string;
  expires: string;
  origin: Origin;
}

export interface Model {
  apiVersion: 'envc/v1';
  platform: string;
  owner: string;
  /** File name as given (relative), used in diagnostics and the source map. */
  sourceFile: string;
  /** sha256 (hex) of the spec file's bytes. */
  sourceDigest: string;
  defaults: { region: string; kubernetesVersion: string; tags: string[] };
  stateBackend: {
    bucket: string;
    cluster: string;
    endpoint: string;
    keyPrefix: string;
    writers: string[];
    backupBucket: string;
    origin: Origin;
  };
  gitops: { repoURL: string; targetRevision: string; path: string };
  /** usergroups: approver handle without its @ → Slack user group id. */
  slack: { channel: string; approvers: string[]; usergroups: Record<string, string> };
  identity: { emailDomain?: string; kubernetesUser: 'email' | 'email-local-part'; groupPrefix: string };
  /** In spec order; `system` is not moved (runners order it first themselves). */
  environments: EnvironmentModel[];
  /** Services as declared (pre environment expansion), in spec order. */
  serviceOrigins: Record<string, Origin>;
  accessPolicies: AccessPolicyModel[];
  secrets: SecretModel[];
  schedules: { timezone: string; drift: string; rotation: string; accessExpiry: string; probe: string };
  slo: { availability: number };
  waivers: WaiverModel[];
}

/** Look up an environment by name. */
export function environment(model: Model, name: string): EnvironmentModel | undefined {
  return model.environments.find((e) => e.name === name);
}
