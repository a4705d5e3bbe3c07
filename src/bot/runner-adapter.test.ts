/**
 * The bot's runner (src/runner behind BotRunner) with the real terraform binary on fixture stacks: its
 * RunnerDeps come from the same `createRunnerDeps` as the CLI's, so the runner — not the bot — records the
 * git revision with every plan, and the gate asks the bot's approver directory about the spec's approvers.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import { openTestStore } from '../../test/support/store.js';
import type { Model } from '../compiler/model.js';
import { Redactor } from '../redact.js';
import { DEFAULT_SPEC, FIXTURE_STACKS, terraformEnv, terraformSkipReason } from '../runner/test-harness.js';
import type { Store } from '../store/types.js';
import type { ApproverDirectory } from './approvers.js';
import { memoryLog } from './log.js';
import { createBotRunner, type RunnerAdapterOptions } from './runner-adapter.js';

const skip = terraformSkipReason();
const COMMIT = '3a4b5c6d7e8f90123456789abcdef0123456789a';

describe.skipIf(skip)('the bot runner adapter', () => {
  let store: Store;
  let model: Model;
  let dir: string;
  const asked: Array<{ user: string; refs: readonly string[] }> = [];
  const approvers: ApproverDirectory = {
    members: async () => new Set(['ULEAD1']),
    isApprover: async (user, refs) => {
      asked.push({ user, refs });
      return user === 'ULEAD1' && refs.includes('@platform-leads');
    },
  };

  beforeAll(async () => {
    store = (await openTestStore()).store;
    model = await defaultModel();
    dir = mkdtempSync(join(tmpdir(), 'envc-bot-runner-'));
    cpSync(join(FIXTURE_STACKS, 'production'), join(dir, 'stacks', 'production'), { recursive: true });
    writeFileSync(join(dir, 'environments.yaml'), readFileSync(DEFAULT_SPEC, 'utf8'));
  });
  afterAll(() => store?.close());

  const options = (env: Record<string, string> = {}): RunnerAdapterOptions => ({
    model,
    store,
    cwd: dir,
    env: { ...process.env, ...terraformEnv(), ENVC_GIT_COMMIT: COMMIT, ...env },
    stacks: 'stacks',
    specPath: 'environments.yaml',
    log: memoryLog(new Redactor()),
    approvers,
  });

  it('plans with the revision the runner recorded, applies through the gate and reports that revision', async () => {
    const runner = await createBotRunner(options());
    const planned = await runner.plan('production', { actor: 'UREQ' });
    if (planned.kind !== 'planned') throw new Error(JSON.stringify(planned));
    expect(planned.revision).toBe(COMMIT);
    const record = await store.getPlanByDigest('production', planned.digest);
    expect(record?.revision).toBe(COMMIT);
    // The revision is the plan's own column, not something the bot slipped into the summary.
    expect(record?.summary).not.toHaveProperty('revision');

    const refused = await runner.apply('production', planned.digest, { actor: 'UREQ' });
    expect(refused).toMatchObject({ kind: 'refused', message: expect.stringContaining('no valid approval') });
    await store.addApproval({
      env: 'production',
      digest: planned.digest,
      approver: 'ULEAD1',
      requester: 'UREQ',
      via: 'slack',
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const applied = await runner.apply('production', planned.digest, { actor: 'UREQ' });
    expect(applied).toEqual({ kind: 'applied', env: 'production', digest: planned.digest, revision: COMMIT });
    expect(asked).toContainEqual({ user: 'ULEAD1', refs: ['@platform-leads'] });
    expect((await store.getApprovalRequest('production', planned.digest))?.status).toBe('applied');
  });

  it('a setting that makes no sense stops it at start, as it stops the CLI', async () => {
    await expect(createBotRunner(options({ ENVC_KEEP_PLANS: '0' }))).rejects.toThrow(
      'ENVC_KEEP_PLANS must be a whole number of at least 1, not "0"',
    );
  });
});
