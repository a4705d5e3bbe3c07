import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/types.js';
import { pruneWorkDir } from './retention.js';

/**
 * Retention of `.envc/`: newest N per environment, plus whatever an approval request that can still be
 * applied (pending, approved, applying) and the latest plan point at — plan files and rollback trees alike.
 */
describe('pruneWorkDir', () => {
  let store: Store;
  let workDir: string;
  const hex = (n: number) => n.toString(16).padStart(64, '0');
  const T0 = Date.now() - 10 * 3600_000;

  /** A plan file (and optionally a rollback tree it runs in) last written `age` hours ago, recorded in the store. */
  async function plan(env: string, n: number, age: number, tree?: string): Promise<string> {
    const dir = join(workDir, 'plans', env);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${hex(n)}.tfplan`);
    writeFileSync(path, 'plan');
    const at = new Date(T0 + (10 - age) * 3600_000);
    utimesSync(path, at, at);
    let workdir = join(workDir, 'stacks', env);
    if (tree) {
      workdir = join(workDir, 'rollback', tree, 'generated', 'terraform', 'environments', env);
      mkdirSync(workdir, { recursive: true });
      utimesSync(join(workDir, 'rollback', tree), at, at);
    }
    await store.recordPlan({
      env,
      digest: hex(n),
      summary: { workdir },
      planPath: path,
      createdBy: 'ci',
      // Recorded in the order of `n`; the files' ages are set apart from that.
      createdAt: new Date(T0 + n * 60_000),
    });
    return path;
  }

  beforeAll(async () => {
    store = (await openTestStore()).store;
    workDir = join(mkdtempSync(join(tmpdir(), 'envc-retention-')), '.envc');
  });
  afterAll(() => store.close());

  it('keeps the newest N, those a live approval request needs and the latest plan; removes the rest', async () => {
    const oldest = await plan('prod', 1, 9, 'prod-111111111111-aaaaaa');
    const pendingOld = await plan('prod', 2, 8, 'prod-222222222222-bbbbbb');
    const approvedOld = await plan('prod', 3, 7);
    const deniedOld = await plan('prod', 4, 6, 'prod-444444444444-dddddd');
    const recent1 = await plan('prod', 5, 2);
    const recent2 = await plan('prod', 6, 1, 'prod-666666666666-ffffff');
    // The latest plan is recorded last but its file is older than others (a re-plan of an old digest).
    const latest = await plan('prod', 7, 5);
    const other = await plan('prod-eu', 8, 9, 'prod-eu-888888888888-aaaaaa');
    const tmp = join(workDir, 'plans', 'prod', '.0a1b2c.tfplan');
    writeFileSync(tmp, 'being written');
    utimesSync(tmp, new Date(T0), new Date(T0));
    for (const [digest, status] of [
      [hex(2), 'pending'],
      [hex(3), 'approved'],
      [hex(4), 'denied'],
    ] as const) {
      await store.requestApproval({
        env: 'prod',
        digest,
        requester: 'U1',
        expiresAt: new Date(T0 + 86400_000),
      });
      if (status === 'approved') await store.markRequestApproved('prod', digest);
      if (status === 'denied') await store.denyApproval({ env: 'prod', digest, actor: 'U2' });
    }

    const removed = await pruneWorkDir({ store, workDir, retention: { keep: 2 } }, 'prod');

    // Plans newest first: 6, 5 (kept: N = 2), 7 (latest), 4 (denied: removed), 3 (approved), 2 (pending),
    // 1 (removed). Trees newest first: 666, 444 (kept), 222 (pending), 111 (removed).
    expect(removed.sort()).toEqual(
      [oldest, deniedOld, join(workDir, 'rollback', 'prod-111111111111-aaaaaa')].sort(),
    );
    for (const p of [pendingOld, approvedOld, recent1, recent2, latest, other, tmp])
      expect(existsSync(p)).toBe(true);
    expect(readdirSync(join(workDir, 'rollback')).sort()).toEqual([
      'prod-222222222222-bbbbbb',
      'prod-444444444444-dddddd',
      'prod-666666666666-ffffff',
      'prod-eu-888888888888-aaaaaa',
    ]);
    // Nothing more to do the second time; an environment without a plans directory is fine.
    expect(await pruneWorkDir({ store, workDir, retention: { keep: 2 } }, 'prod')).toEqual([]);
    expect(await pruneWorkDir({ store, workDir }, 'nowhere')).toEqual([]);
  });
});
