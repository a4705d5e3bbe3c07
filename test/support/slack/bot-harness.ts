import { createHash } from 'node:crypto';
import { type Bot, createBot } from '../../../src/bot/app.js';
import { countingApprovals } from '../../../src/bot/approval-gate.js';
import { createApproverDirectory } from '../../../src/bot/approvers.js';
import type { ArgoSync } from '../../../src/bot/argo.js';
import { createAuditor } from '../../../src/bot/audit.js';
import type { BotDeps } from '../../../src/bot/deps.js';
import type { Job } from '../../../src/bot/jobs/types.js';
import { memoryLog } from '../../../src/bot/log.js';
import { createMetrics } from '../../../src/bot/metrics.js';
import type {
  ApplyOutcome,
  BotRunner,
  DriftOutcome,
  PlanOutcome,
  RunOptions,
} from '../../../src/bot/runner.js';
import { Tasks } from '../../../src/bot/tasks.js';
import type { Model } from '../../../src/compiler/model.js';
import { Redactor } from '../../../src/redact.js';
import type { JsonObject, Store } from '../../../src/store/types.js';
import { DEFAULTS, FakeSlack, type FakeSlackOptions } from './fake-slack.js';
import { SlackUser } from './user.js';

/**
 * A real bot (Bolt, its real HTTP or Socket Mode receiver, a real store) talking to the local Slack fake,
 * with a scripted runner where terraform is not the point: tests say what the next plan or drift check
 * finds; plans are recorded in the store and applies go through the same approval facts as the runner's
 * gate (consumeApprovals), so single use and expiry are the store's, not the script's.
 */
export const USERS = {
  requester: 'U0REQUEST1',
  lead1: 'U0LEAD0001',
  lead2: 'U0LEAD0002',
  oncall: 'U0ONCALL01',
  outsider: 'U0OUTSIDE1',
} as const;

export const GROUPS = { leads: 'S0PLATLEADS', oncall: 'S0PLATONCAL' } as const;

export const SIGNING_SECRET = 'test-signing-secret-8f2d6c1e';

/** Real time plus an offset that tests move forward (expiry), so time still passes between steps. */
export class Clock {
  offset = 0;
  now = () => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface ScriptedPlan {
  summary: JsonObject;
  hasChanges?: boolean;
}

export class ScriptedRunner implements BotRunner {
  readonly plans = new Map<string, ScriptedPlan>();
  readonly drifts = new Map<
    string,
    { fingerprint: string; summary: JsonObject } | 'clean' | { failed: string }
  >();
  readonly calls: Array<{ op: 'plan' | 'drift' | 'apply'; env: string; actor: string; digest?: string }> = [];
  revision = '5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a';
  /** When set, apply() waits for it after consuming the approvals (lets a test look at the "applying" state). */
  applyGate?: Promise<void>;
  applyFails?: string;
  /** When set, every plan fails with this message (error paths, redaction). */
  planFails?: string;

  constructor(
    private store: Store,
    private model: () => Model,
    private now: () => Date,
  ) {}

  setPlan(env: string, summary: JsonObject, hasChanges = true): void {
    this.plans.set(env, { summary, hasChanges });
  }

  digestOf(env: string): string {
    const p = this.plans.get(env) ?? { summary: {} };
    return createHash('sha256')
      .update(`${env}\n${JSON.stringify(p.summary)}`)
      .digest('hex');
  }

  async plan(env: string, opts: RunOptions): Promise<PlanOutcome> {
    this.calls.push({ op: 'plan', env, actor: opts.actor });
    if (this.planFails) return { kind: 'failed', env, message: this.planFails };
    const p = this.plans.get(env);
    if (!p) return { kind: 'failed', env, message: `no scripted plan for ${env}` };
    const digest = this.digestOf(env);
    await this.store.recordPlan({
      env,
      digest,
      summary: p.summary,
      planPath: `/tmp/plans/${env}/${digest}.tfplan`,
      createdBy: opts.actor,
      createdAt: this.now(),
      revision: this.revision,
    });
    return {
      kind: 'planned',
      env,
      digest,
      summary: p.summary,
      hasChanges: p.hasChanges ?? true,
      revision: this.revision,
    };
  }

  async drift(env: string, opts: RunOptions): Promise<DriftOutcome> {
    this.calls.push({ op: 'drift', env, actor: opts.actor });
    const d = this.drifts.get(env) ?? 'clean';
    if (d === 'clean') return { kind: 'clean', env };
    if ('failed' in d) return { kind: 'failed', env, message: d.failed };
    return { kind: 'drift', env, fingerprint: d.fingerprint, summary: d.summary };
  }

  async apply(env: string, digest: string, opts: RunOptions): Promise<ApplyOutcome> {
    this.calls.push({ op: 'apply', env, actor: opts.actor, digest });
    const e = this.model().environments.find((x) => x.name === env)!;
    const request = await this.store.getApprovalRequest(env, digest);
    if (!request) return { kind: 'refused', env, message: 'no approval request' };
    const latest = await this.store.latestPlan(env);
    if (latest?.digest !== digest)
      return { kind: 'refused', env, message: 'the plan changed since it was approved' };
    const approvers = new Set([
      USERS.lead1,
      USERS.lead2,
      ...(e.approvals.approvers.includes('@platform-oncall') ? [USERS.oncall] : []),
    ]);
    const valid = countingApprovals(
      await this.store.listApprovals(env, digest),
      request.requester,
      approvers,
      this.now(),
    );
    const used = await this.store.consumeApprovals({
      env,
      digest,
      approvalIds: valid.map((a) => a.id),
      minApprovals: e.approvals.minApprovals,
      actor: opts.actor,
      now: this.now(),
    });
    if (used.length === 0)
      return { kind: 'refused', env, message: 'not approved (or the approval was used or expired)' };
    // Like the runner: the request is `applying` while "terraform" runs, then records the outcome.
    if (this.applyGate) await this.applyGate;
    await this.store.recordApplyOutcome({
      env,
      digest,
      outcome: this.applyFails ? 'failed' : 'applied',
      ...(this.applyFails ? { error: this.applyFails } : {}),
      at: this.now(),
    });
    if (this.applyFails) return { kind: 'failed', env, message: this.applyFails };
    return { kind: 'applied', env, digest, revision: this.revision };
  }
}

export interface HarnessOptions {
  store: Store;
  model: Model;
  mode?: 'http' | 'socket';
  slack?: FakeSlackOptions;
  /** Use this fake (two bots sharing one Slack). */
  fake?: FakeSlack;
  argo?: ArgoSync;
  /** Scheduled jobs: false (default in tests: ticks are driven by hand) or a list started with node-cron. */
  jobs?: Job[] | false;
  runner?: BotRunner;
  clock?: Clock;
  name?: string;
}

export interface Harness {
  fake: FakeSlack;
  bot: Bot;
  deps: BotDeps;
  runner: ScriptedRunner;
  clock: Clock;
  user: SlackUser;
  logs: Array<Record<string, unknown>>;
  /** Bolt's endpoint URL (HTTP mode). */
  url: string;
  close(): Promise<void>;
}

export function defaultSlackOptions(): FakeSlackOptions {
  return {
    users: {
      [USERS.requester]: { name: 'rita', email: 'rita@acme.example' },
      [USERS.lead1]: { name: 'lena', email: 'lena@acme.example' },
      [USERS.lead2]: { name: 'leo', email: 'leo@acme.example' },
      [USERS.oncall]: { name: 'otto', email: 'otto@acme.example' },
      [USERS.outsider]: { name: 'olga', email: 'olga@acme.example' },
    },
    usergroups: { [GROUPS.leads]: [USERS.lead1, USERS.lead2], [GROUPS.oncall]: [USERS.oncall] },
  };
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const fake = opts.fake ?? (await FakeSlack.start({ ...defaultSlackOptions(), ...(opts.slack ?? {}) }));
  const clock = opts.clock ?? new Clock();
  const mode = opts.mode ?? 'http';
  const redactor = new Redactor([fake.botToken, fake.appToken, SIGNING_SECRET]);
  const log = memoryLog(redactor, 'debug');
  const metrics = await createMetrics({ defaultMetrics: false });
  const runner = new ScriptedRunner(opts.store, () => opts.model, clock.now);
  const tasks = new Tasks(log);
  let slackRef: BotDeps['slack'] | undefined;
  const approvers = createApproverDirectory({
    lister: {
      usersOf: async (g) => {
        const r = await slackRef!.usergroups.users.list({ usergroup: g });
        return r.users ?? [];
      },
    },
    handles: { 'platform-leads': GROUPS.leads, 'platform-oncall': GROUPS.oncall },
    log,
  });
  const bot = await createBot(
    {
      botToken: fake.botToken,
      ...(mode === 'socket' ? { appToken: fake.appToken } : { signingSecret: SIGNING_SECRET }),
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
    },
    {
      store: opts.store,
      model: opts.model,
      runner: opts.runner ?? runner,
      log: log.child({ bot: opts.name ?? 'bot' }),
      metrics,
      audit: createAuditor(opts.store, log, clock.now, (t) => redactor.text(t)),
      approvers,
      argo: opts.argo,
      now: clock.now,
      tasks,
      channel: opts.model.slack.channel,
      botActor: 'envc-bot',
      redact: (t) => redactor.text(t),
    },
  );
  slackRef = bot.deps.slack;
  await bot.start({ jobs: opts.jobs ?? false });
  if (mode === 'socket') await fake.socket.waitForConnections(1);
  const url = `http://127.0.0.1:${bot.port}/slack/events`;
  const user = new SlackUser(
    fake,
    mode === 'socket' ? { kind: 'socket' } : { kind: 'http', url, secret: SIGNING_SECRET },
  );
  return {
    fake,
    bot,
    deps: bot.deps,
    runner,
    clock,
    user,
    logs: log.lines,
    url,
    async close() {
      await bot.stop();
      if (!opts.fake) await fake.close();
    },
  };
}

/** Waits until the bot's background work (plans, drift checks, applies after the ack) is done. */
export async function settle(h: Harness): Promise<void> {
  const start = Date.now();
  // The ack comes before the work is queued; give the listener a moment to queue it.
  await new Promise((r) => setTimeout(r, 20));
  while ((h.deps.tasks as unknown as { size: number }).size > 0) {
    if (Date.now() - start > 20_000) throw new Error('background work did not settle');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export { DEFAULTS };
