/** What every runner operation gets (one `deps` object), and what it returns. */
import type { PlanCoster } from '../cost/plan-coster.js';
import type { Store } from '../store/types.js';
import type { Notifier } from './events.js';
import type { IsApprover } from './identity.js';
import type { PolicySource } from './policy.js';
import type { Terraform } from './terraform.js';

export interface CompileCheck {
  /** generated/ files that differ from what the spec compiles to (empty: up to date). */
  staleFiles: string[];
}

export interface RunnerDeps {
  store: Store;
  terraform: Terraform;
  notifier: Notifier;
  policy: PolicySource;
  isApprover: IsApprover;
  now: () => Date;
  /** Who is acting (Slack user id, `ci:…`, `cli:…`, `envc-bot`). */
  actor: string;
  /** One terraform root per environment: `<stacksDir>/<env>`. */
  stacksDir: string;
  /** generated/ (for the Kubernetes and Helm part of the digest); undefined: none. */
  generatedDir?: string;
  /** The spec file (its hash is recorded with each plan; apply refuses once it changed). */
  specPath?: string;
  /** envc's working area (`.envc/`): saved plans, rollback trees. */
  workDir: string;
  /** Saved plans and rollback trees kept per environment after an apply (default 5; see retention.ts). */
  retention?: { keep: number };
  /**
   * The git commit plans are made from, recorded with each plan (ArgoCD is synced to it after the apply);
   * undefined when unknown. See git.ts `revisionResolver`.
   */
  revision?: () => Promise<string | undefined>;
  /** false: `terraform init -backend=false` (offline). */
  backend: boolean;
  lock: { ttlSeconds: number; waitMs: number; pollMs?: number };
  /** `--wait`: how long apply waits for an approval, and how often it looks. */
  approvalWait: { waitMs: number; pollMs: number };
  /** Status of one environment ("planning", "applying", …) for progress displays. */
  progress: (env: string, status: string) => void;
  /** Terraform's own output lines (verbose mode); default: dropped. */
  output?: (env: string, line: string) => void;
  /** `envc compile --check` for drift: injected so the runner works on fixture stacks without a spec. */
  compileCheck?: () => Promise<CompileCheck>;
  /** How to tell an approver to approve (CLI: the envc command; the bot may say "press Approve"). */
  approveHint?: (env: string, digest: string) => string;
  signal?: AbortSignal;
  /** Id of an LKE cluster by label (Linode API): another environment's cluster, never from its state. */
  lkeClusterId?: (label: string) => Promise<number | undefined>;
  /** Prices a plan (monthly delta, budget crossing); undefined: no price catalogue. See src/cost. */
  cost?: PlanCoster;
}

/** Expected refusals carry a code (ENVC4xxx) and the next step; failures are outages or bugs. */
export type Outcome<T> =
  | { env: string; status: 'ok'; value: T }
  | { env: string; status: 'refused'; code: string; message: string; next?: string }
  | {
      env: string;
      status: 'awaiting-approval';
      digest: string;
      message: string;
      approveCommand: string;
      reasons: string[];
    }
  | { env: string; status: 'failed'; message: string };

export function refused<T>(env: string, code: string, message: string, next?: string): Outcome<T> {
  return next === undefined
    ? { env, status: 'refused', code, message }
    : { env, status: 'refused', code, message, next };
}

export function failedOutcome<T>(env: string, message: string): Outcome<T> {
  return { env, status: 'failed', message };
}

export function defaultApproveHint(env: string, digest: string): string {
  return `press Approve in Slack (or /infra approve ${env} ${digest.slice(0, 12)}); from CI: envc approvals approve --env ${env} --digest ${digest} with an OIDC token`;
}

/** Runner diagnostic codes (4xxx). */
export const Codes = {
  noPlan: 'ENVC4001',
  planApplied: 'ENVC4002',
  planStale: 'ENVC4003',
  digestMismatch: 'ENVC4004',
  lockHeld: 'ENVC4005',
  notApproved: 'ENVC4006',
  destroyForbidden: 'ENVC4007',
  lineageMismatch: 'ENVC4008',
  planFileMissing: 'ENVC4009',
  unknownEnv: 'ENVC4010',
  approveRefused: 'ENVC4011',
  noBackup: 'ENVC4012',
  gitRef: 'ENVC4013',
  newerPlanFailed: 'ENVC4014',
  inputsChanged: 'ENVC4015',
  otherStackDir: 'ENVC4016',
  revisionMoved: 'ENVC4017',
  unverifiedIdentity: 'ENVC4018',
  planDenied: 'ENVC4019',
} as const;
