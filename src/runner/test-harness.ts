/**
 * Test-only: a runner over copies of the fixture stacks, a PGlite store from the snapshot, the real
 * terraform binary, and events collected in memory. Imported by runner tests only (never by the CLI).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/types.js';
import type { RunnerDeps } from './context.js';
import type { RunnerEvent } from './events.js';
import { localApprovers } from './identity.js';
import type { EnvPolicy } from './policy.js';
import { createTerraform } from './terraform.js';

export const FIXTURE_STACKS = resolve(import.meta.dirname, '../../test/fixtures/stacks');

/** Why terraform tests cannot run here (undefined: they can). Under CI=true a missing terraform is an error. */
export function terraformSkipReason(): string | undefined {
  try {
    execFileSync(process.env.ENVC_TERRAFORM ?? 'terraform', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    if (process.env.CI === 'true')
      throw new Error('terraform is not on PATH but CI=true: the runner tests need the real binary');
    return 'terraform is not on PATH: runner tests skipped';
  }
}

/** An empty terraform CLI config, so terraform does not warn about a missing ~/.terraformrc. */
export function terraformEnv(): Record<string, string> {
  const dir = join(tmpdir(), 'envc-test-terraform');
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, 'terraformrc');
  writeFileSync(rc, '');
  return { TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1' };
}

export function policy(
  env: string,
  p: Partial<EnvPolicy['approvals']> & { tier?: EnvPolicy['tier'] } = {},
): EnvPolicy {
  const { tier, ...approvals } = p;
  return {
    env,
    tier: tier ?? (env === 'production' ? 'production' : 'non-production'),
    protected: env === 'production',
    approvals: {
      required: false,
      approvers: [],
      minApprovals: 1,
      expiresAfterSeconds: 3600,
      allowDestroy: false,
      ...approvals,
    },
  };
}

export interface Harness {
  root: string;
  stacksDir: string;
  store: Store;
  events: RunnerEvent[];
  policies: Record<string, EnvPolicy>;
  groups: Record<string, string[]>;
  deps(actor: string, overrides?: Partial<RunnerDeps>): RunnerDeps;
  close(): Promise<void>;
}

export async function harness(envs: string[], opts: { store?: Store } = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'envc-runner-'));
  const stacksDir = join(root, 'stacks');
  for (const e of envs) cpSync(join(FIXTURE_STACKS, e), join(stacksDir, e), { recursive: true });
  const store = opts.store ?? (await openTestStore(join(root, 'state'))).store;
  const events: RunnerEvent[] = [];
  const policies: Record<string, EnvPolicy> = Object.fromEntries(envs.map((e) => [e, policy(e)]));
  const groups: Record<string, string[]> = {};
  const terraform = createTerraform({ env: { ...process.env, ...terraformEnv() } });
  return {
    root,
    stacksDir,
    store,
    events,
    policies,
    groups,
    deps: (actor, overrides = {}) => ({
      store,
      terraform,
      notifier: { name: 'memory', notify: async (e) => void events.push(e) },
      policy: (env) => policies[env],
      isApprover: localApprovers((env) => policies[env]?.approvals.approvers, groups),
      now: () => new Date(),
      actor,
      stacksDir,
      workDir: join(root, '.envc'),
      backend: true,
      lock: { ttlSeconds: 30, waitMs: 0, pollMs: 50 },
      approvalWait: { waitMs: 0, pollMs: 50 },
      progress: () => {},
      ...overrides,
    }),
    close: () => store.close(),
  };
}

// ── end-to-end: the built CLI in a temporary workspace ─────────────────────────────────────────────────────

export const ENVC_BIN = resolve(import.meta.dirname, '../../bin/envc.js');
export const DEFAULT_SPEC = resolve(import.meta.dirname, '../../environments.yaml');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  stacksDir: string;
  env: Record<string, string>;
  /** Runs `node bin/envc.js …` in the workspace (async, so several can run at once). */
  envc(args: string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  /** Spawns without waiting (for the kill test): its own process group. */
  spawnEnvc(args: string[], extraEnv?: Record<string, string>): import('node:child_process').ChildProcess;
  state(
    env: string,
  ): { serial: number; lineage: string; resources: Array<{ type: string; name: string }> } | undefined;
}

/**
 * A workspace: the shipped environments.yaml (development, staging, production, system — production, staging
 * and system gated by @platform-leads), copies of the fixture stacks, a store (PGlite from the snapshot, or
 * the URL given), and approver groups for the CLI.
 */
export async function workspace(
  o: { envs?: string[]; store?: string; groups?: Record<string, string[]>; specText?: string } = {},
): Promise<Workspace> {
  const { prepareStoreDir } = await import('../../test/support/store.js');
  const { readFileSync, existsSync } = await import('node:fs');
  const { spawn } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'envc-ws-'));
  const stacksDir = join(dir, 'stacks');
  for (const e of o.envs ?? ['development', 'staging', 'production', 'system'])
    cpSync(join(FIXTURE_STACKS, e), join(stacksDir, e), { recursive: true });
  writeFileSync(join(dir, 'environments.yaml'), o.specText ?? readFileSync(DEFAULT_SPEC, 'utf8'));
  let store = o.store;
  if (!store) {
    store = join(dir, '.envc', 'state');
    await prepareStoreDir(store);
  }
  const env: Record<string, string> = {
    ...terraformEnv(),
    ENVC_STORE: store,
    ENVC_APPROVER_GROUPS: JSON.stringify(
      o.groups ?? { '@platform-leads': ['ULEAD1', 'ULEAD2'], '@platform-oncall': ['UONCALL'] },
    ),
    // Who the test issuer's GitHub users are in Slack (test/support/oidc-issuer.ts).
    ENVC_IDENTITY_LINKS: JSON.stringify({
      'github:lead-one': 'ULEAD1',
      'github:lead-two': 'ULEAD2',
      'github:requester': 'UREQ',
      'github:oncall': 'UONCALL',
    }),
    NO_COLOR: '1',
  };
  const fullEnv = (extra: Record<string, string> = {}) => {
    const e: Record<string, string | undefined> = {
      ...process.env,
      ...env,
      ...extra,
      FORCE_COLOR: undefined,
      ENVC_ACTOR: extra.ENVC_ACTOR,
      SLACK_BOT_TOKEN: undefined,
    };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    return e as NodeJS.ProcessEnv;
  };
  const spawnEnvc = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawn(process.execPath, [ENVC_BIN, ...args], {
      cwd: dir,
      env: fullEnv(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  return {
    dir,
    stacksDir,
    env,
    spawnEnvc,
    envc: (args, extraEnv = {}) =>
      new Promise((resolveRun) => {
        const child = spawn(process.execPath, [ENVC_BIN, ...args], {
          cwd: dir,
          env: fullEnv(extraEnv),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolveRun({ code, stdout, stderr }));
      }),
    state: (env) => {
      const p = join(stacksDir, env, 'terraform.tfstate');
      return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined;
    },
  };
}
