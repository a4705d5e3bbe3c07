/**
 * The store contract: one suite, run against every back end — SQLite (the embedded default), PGlite (the
 * optional embedded store and the fallback on a Node without node:sqlite) and a real PostgreSQL (a server
 * the tests start themselves, or ENVC_TEST_POSTGRES_URL).
 * Every back end must pass every case; a case here is a promise the runner or the bot relies on.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, openTestPostgres, postgresSkipReason } from '../../test/support/store.js';
import { openSqliteStore, sqliteAvailable } from './sqlite.js';
import type { Store } from './types.js';

interface Backend {
  name: string;
  skip?: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const pgSkip = postgresSkipReason();
if (pgSkip) console.warn(`store contract: ${pgSkip}`);

const sqliteSkip = (await sqliteAvailable())
  ? undefined
  : `node:sqlite needs Node >= 22.5 (${process.version})`;

const backends: Backend[] = [
  {
    name: 'sqlite',
    ...(sqliteSkip ? { skip: sqliteSkip } : {}),
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'envc-contract-'));
      const store = await openSqliteStore(join(dir, 'envc.sqlite'));
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'pglite',
    open: async () => {
      const { store } = await openTestPglite();
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'postgres',
    ...(pgSkip ? { skip: pgSkip } : {}),
    open: async () => {
      const { store, drop } = await openTestPostgres();
      return {
        store,
        cleanup: async () => {
          await store.close();
          await drop();
        },
      };
    },
  },
];

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(backends)('store contract: $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (backend.skip) return;
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const test = backend.skip ? it.skip : it;

  test('reports its kind', () => {
    expect(store.kind).toBe(backend.name);
  });

  test('plans: latest per environment, lookup by digest, summary round-trips', async () => {
    await store.recordPlan({
      env: 'p-dev',
      digest: 'a'.repeat(64),
      summary: { add: 1, byAddress: { 'x.y': 'create' } },
      planPath: '/p/1',
      createdBy: 'ci',
      createdAt: at(0),
    });
    await store.recordPlan({
      env: 'p-dev',
      digest: 'b'.repeat(64),
      summary: { add: 2 },
      planPath: '/p/2',
      createdBy: 'ci',
      createdAt: at(10),
      revision: '0123456789abcdef0123456789abcdef01234567',
    });
    await store.recordPlan({
      env: 'p-prod',
      digest: 'c'.repeat(64),
      summary: {},
      planPath: '/p/3',
      createdBy: 'ci',
      createdAt: at(20),
    });
    const latest = await store.latestPlan('p-dev');
    expect(latest?.digest).toBe('b'.repeat(64));
    expect(latest?.revision).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(latest?.createdAt.toISOString()).toBe(at(10).toISOString());
    const first = await store.getPlanByDigest('p-dev', 'a'.repeat(64));
    expect(first?.summary).toEqual({ add: 1, byAddress: { 'x.y': 'create' } });
    expect(first?.planPath).toBe('/p/1');
    expect(first?.revision).toBeUndefined();
    expect(await store.getPlanByDigest('p-prod', 'a'.repeat(64))).toBeUndefined();
    expect((await store.listPlans('p-dev')).map((p) => p.planPath)).toEqual(['/p/2', '/p/1']);
    expect(await store.latestPlan('nope')).toBeUndefined();
    expect(first?.appliedAt).toBeUndefined();
    expect(await store.markPlanApplied(first!.id, { actor: 'U1', at: at(30) })).toBe(true);
    expect(await store.markPlanApplied(first!.id, { actor: 'U2', at: at(31) })).toBe(false);
    const applied = await store.getPlanByDigest('p-dev', 'a'.repeat(64));
    expect(applied?.appliedBy).toBe('U1');
    expect(applied?.appliedAt?.toISOString()).toBe(at(30).toISOString());
  });

  test('approval requests are idempotent while pending and can be denied', async () => {
    const r1 = await store.requestApproval({
      env: 'a-env',
      digest: 'd1',
      requester: 'U1',
      expiresAt: at(3600),
    });
    const r2 = await store.requestApproval({
      env: 'a-env',
      digest: 'd1',
      requester: 'U1',
      expiresAt: at(3600),
    });
    expect(r2.id).toBe(r1.id);
    expect(r1.status).toBe('pending');
    const other = await store.requestApproval({
      env: 'a-env',
      digest: 'd2',
      requester: 'U1',
      expiresAt: at(3600),
    });
    expect(other.id).not.toBe(r1.id);
    expect(
      (await store.listApprovalRequests({ env: 'a-env', status: 'pending' })).map((r) => r.digest).sort(),
    ).toEqual(['d1', 'd2']);

    await store.addApproval({
      env: 'a-env',
      digest: 'd2',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    const denied = await store.denyApproval({ env: 'a-env', digest: 'd2', actor: 'U3', reason: 'not now' });
    expect(denied).toMatchObject({ status: 'denied', deniedBy: 'U3', reason: 'not now' });
    expect((await store.getApprovalRequest('a-env', 'd2'))?.status).toBe('denied');
    // Denial voids the approvals of that digest.
    expect(await store.listApprovals('a-env', 'd2')).toEqual([]);
    // A denial is final for its digest: asking again (a re-run apply, /infra plan with no change) returns
    // the denial and opens nothing new, whoever asks.
    const asked = await store.requestApproval({
      env: 'a-env',
      digest: 'd2',
      requester: 'U9',
      expiresAt: at(7200),
    });
    expect(asked).toMatchObject({ id: denied!.id, status: 'denied', deniedBy: 'U3' });
    expect(await store.listApprovalRequests({ env: 'a-env', status: 'pending' })).toHaveLength(1);
    expect((await store.getApprovalRequest('a-env', 'd2'))?.status).toBe('denied');
  });

  test('approvals: one live approval per approver and digest', async () => {
    const a = await store.addApproval({
      env: 'b-env',
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    const again = await store.addApproval({
      env: 'b-env',
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(7200),
    });
    expect(again.id).toBe(a.id);
    await store.addApproval({
      env: 'b-env',
      digest: 'd',
      approver: 'U3',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    await store.addApproval({
      env: 'b-env',
      digest: 'other',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    const list = await store.listApprovals('b-env', 'd');
    expect(list.map((x) => x.approver)).toEqual(['U2', 'U3']);
    expect(list.every((x) => !x.used && x.requester === 'U1')).toBe(true);
    expect((await store.listApprovals('b-env')).length).toBe(3);
  });

  test('consumeApprovals is single use, all-or-nothing, and respects expiry', async () => {
    const ok = await store.addApproval({
      env: 'c-env',
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(100),
    });
    const expired = await store.addApproval({
      env: 'c-env',
      digest: 'd',
      approver: 'U3',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(5),
    });
    // Needs two, only one unexpired at t=10: nothing consumed.
    expect(
      await store.consumeApprovals({
        env: 'c-env',
        digest: 'd',
        approvalIds: [ok.id, expired.id],
        minApprovals: 2,
        now: at(10),
      }),
    ).toEqual([]);
    expect((await store.listApprovals('c-env', 'd')).find((x) => x.id === ok.id)?.used).toBe(false);
    // Wrong digest claims nothing.
    expect(
      await store.consumeApprovals({
        env: 'c-env',
        digest: 'zzz',
        approvalIds: [ok.id],
        minApprovals: 1,
        now: at(10),
      }),
    ).toEqual([]);
    const used = await store.consumeApprovals({
      env: 'c-env',
      digest: 'd',
      approvalIds: [ok.id],
      minApprovals: 1,
      now: at(10),
    });
    expect(used.map((x) => x.id)).toEqual([ok.id]);
    expect(used[0]?.used).toBe(true);
    expect(used[0]?.usedAt?.toISOString()).toBe(at(10).toISOString());
    // Reuse refused.
    expect(
      await store.consumeApprovals({
        env: 'c-env',
        digest: 'd',
        approvalIds: [ok.id],
        minApprovals: 1,
        now: at(11),
      }),
    ).toEqual([]);
  });

  test('two concurrent consumers of one approval: exactly one wins', async () => {
    const a = await store.addApproval({
      env: 'race-env',
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(100),
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.consumeApprovals({
          env: 'race-env',
          digest: 'd',
          approvalIds: [a.id],
          minApprovals: 1,
          now: at(1),
        }),
      ),
    );
    expect(results.filter((r) => r.length === 1)).toHaveLength(1);
    expect(results.filter((r) => r.length === 0)).toHaveLength(5);
  });

  test('approval lifecycle: pending → approved → applying → applied, each step only from its own status', async () => {
    const env = 'lc-env';
    const req = await store.requestApproval({ env, digest: 'd', requester: 'U1', expiresAt: at(3600) });
    expect(req.status).toBe('pending');
    const a2 = await store.addApproval({
      env,
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    expect(await store.recordApplyOutcome({ env, digest: 'd', outcome: 'applied' })).toBeUndefined();
    expect(await store.markRequestApproved(env, 'd')).toMatchObject({ id: req.id, status: 'approved' });
    expect(await store.markRequestApproved(env, 'd')).toBeUndefined();
    // A repeated request while approved is the same request, not a second pending one.
    expect((await store.requestApproval({ env, digest: 'd', requester: 'U1', expiresAt: at(3600) })).id).toBe(
      req.id,
    );

    const used = await store.consumeApprovals({
      env,
      digest: 'd',
      approvalIds: [a2.id],
      minApprovals: 1,
      actor: 'ci:deploy',
      now: at(10),
    });
    expect(used.map((a) => a.id)).toEqual([a2.id]);
    const applying = await store.getApprovalRequest(env, 'd');
    expect(applying).toMatchObject({ id: req.id, status: 'applying', appliedBy: 'ci:deploy' });
    expect(applying?.startedAt?.toISOString()).toBe(at(10).toISOString());
    expect(applying?.finishedAt).toBeUndefined();
    // Neither a deny nor a second approval round can touch a request that is applying.
    expect(await store.denyApproval({ env, digest: 'd', actor: 'U3' })).toBeUndefined();
    expect(await store.markRequestApproved(env, 'd')).toBeUndefined();

    const done = await store.recordApplyOutcome({ env, digest: 'd', outcome: 'applied', at: at(20) });
    expect(done).toMatchObject({ id: req.id, status: 'applied' });
    expect(done?.finishedAt?.toISOString()).toBe(at(20).toISOString());
    expect(done?.error).toBeUndefined();
    // Recorded once: a late second outcome changes nothing.
    expect(
      await store.recordApplyOutcome({ env, digest: 'd', outcome: 'failed', error: 'x' }),
    ).toBeUndefined();
    expect((await store.getApprovalRequest(env, 'd'))?.status).toBe('applied');
    expect(
      (await store.listApprovalRequests({ env, status: ['applied', 'failed'] })).map((r) => r.id),
    ).toEqual([req.id]);
  });

  test('approval lifecycle: a failed apply records why; approvals given without a request get one', async () => {
    const env = 'lf-env';
    await store.requestApproval({ env, digest: 'd', requester: 'U1', expiresAt: at(3600) });
    const a = await store.addApproval({
      env,
      digest: 'd',
      approver: 'U2',
      requester: 'U1',
      via: 'slack',
      expiresAt: at(3600),
    });
    // Straight from pending (the CLI front end need not mark it approved first).
    expect(
      await store.consumeApprovals({ env, digest: 'd', approvalIds: [a.id], minApprovals: 1, now: at(1) }),
    ).toHaveLength(1);
    expect(
      await store.recordApplyOutcome({
        env,
        digest: 'd',
        outcome: 'failed',
        error: 'Error: boom',
        at: at(2),
      }),
    ).toMatchObject({ status: 'failed', error: 'Error: boom' });

    // `envc approvals approve` then `envc apply`, with no request in between: consuming creates it.
    const b = await store.addApproval({
      env,
      digest: 'e',
      approver: 'U2',
      requester: 'U5',
      via: 'slack',
      expiresAt: at(900),
    });
    expect(await store.getApprovalRequest(env, 'e')).toBeUndefined();
    await store.consumeApprovals({
      env,
      digest: 'e',
      approvalIds: [b.id],
      minApprovals: 1,
      actor: 'U5',
      now: at(3),
    });
    expect(await store.getApprovalRequest(env, 'e')).toMatchObject({
      status: 'applying',
      requester: 'U5',
      appliedBy: 'U5',
    });
    // An apply that died while applying is retried with new approvals: the request re-enters `applying`.
    const c = await store.addApproval({
      env,
      digest: 'e',
      approver: 'U3',
      requester: 'U5',
      via: 'slack',
      expiresAt: at(900),
    });
    await store.consumeApprovals({
      env,
      digest: 'e',
      approvalIds: [c.id],
      minApprovals: 1,
      actor: 'U6',
      now: at(4),
    });
    const retried = await store.getApprovalRequest(env, 'e');
    expect(retried).toMatchObject({ status: 'applying', appliedBy: 'U6' });
    expect(retried?.startedAt?.toISOString()).toBe(at(4).toISOString());
    expect((await store.listApprovalRequests({ env })).filter((r) => r.digest === 'e')).toHaveLength(1);
    // A failed consume (too few approvals) leaves the request alone.
    const d = await store.requestApproval({ env, digest: 'f', requester: 'U1', expiresAt: at(3600) });
    expect(
      await store.consumeApprovals({
        env,
        digest: 'f',
        approvalIds: ['apr_none'],
        minApprovals: 1,
        now: at(5),
      }),
    ).toEqual([]);
    expect((await store.getApprovalRequest(env, 'f'))?.status).toBe(d.status);
  });

  test('approval lifecycle: denied only while pending or approved; superseded; a new request after the end', async () => {
    const env = 'ld-env';
    await store.requestApproval({ env, digest: 'old', requester: 'U1', expiresAt: at(3600) });
    await store.requestApproval({ env, digest: 'mid', requester: 'U1', expiresAt: at(3600) });
    await store.markRequestApproved(env, 'mid');
    await store.requestApproval({ env, digest: 'new', requester: 'U1', expiresAt: at(3600) });
    const superseded = await store.supersedeApprovalRequests(env, 'new');
    expect(superseded.map((r) => [r.digest, r.status]).sort()).toEqual([
      ['mid', 'superseded'],
      ['old', 'superseded'],
    ]);
    expect(await store.supersedeApprovalRequests(env, 'new')).toEqual([]);
    expect((await store.getApprovalRequest(env, 'new'))?.status).toBe('pending');
    expect(await store.denyApproval({ env, digest: 'old', actor: 'U2' })).toBeUndefined();
    expect(await store.denyApproval({ env, digest: 'new', actor: 'U2', reason: 'no' })).toMatchObject({
      status: 'denied',
      deniedBy: 'U2',
    });
    // The same digest asked again after a denial: the denial is final, nothing new is opened.
    const again = await store.requestApproval({ env, digest: 'new', requester: 'U1', expiresAt: at(3600) });
    expect(again).toMatchObject({ status: 'denied', deniedBy: 'U2' });
    expect((await store.getApprovalRequest(env, 'new'))?.status).toBe('denied');
    // Expired or superseded digests may be asked again (nobody decided against them).
    const retry = await store.requestApproval({ env, digest: 'old', requester: 'U1', expiresAt: at(3600) });
    expect(retry.status).toBe('pending');
  });

  test('approval lifecycle: pending requests expire once, however many sweepers race', async () => {
    const env = 'le-env';
    await store.requestApproval({ env, digest: 'soon', requester: 'U1', expiresAt: at(60) });
    await store.requestApproval({ env, digest: 'later', requester: 'U1', expiresAt: at(7200) });
    await store.requestApproval({ env, digest: 'ok', requester: 'U1', expiresAt: at(60) });
    await store.markRequestApproved(env, 'ok');
    expect((await store.expireApprovalRequests(at(59))).filter((r) => r.env === env)).toEqual([]);
    const swept = await Promise.all(Array.from({ length: 5 }, () => store.expireApprovalRequests(at(61))));
    const mine = swept.map((batch) => batch.filter((r) => r.env === env).map((r) => r.digest));
    expect(mine.flat()).toEqual(['soon']);
    expect((await store.getApprovalRequest(env, 'soon'))?.status).toBe('expired');
    // Approved requests wait for their apply; the approvals' own expiry governs them.
    expect((await store.getApprovalRequest(env, 'ok'))?.status).toBe('approved');
    expect((await store.getApprovalRequest(env, 'later'))?.status).toBe('pending');
    expect(await store.markRequestApproved(env, 'soon')).toBeUndefined();
  });

  test('locks: one holder, heartbeat extends, expiry frees, only the holder releases', async () => {
    const first = await store.acquireLock('l-env', 'alice@h:1/a', 30, at(0));
    expect(first.acquired).toBe(true);
    const second = await store.acquireLock('l-env', 'bob@h:2/b', 30, at(10));
    expect(second).toMatchObject({ acquired: false, lock: { holder: 'alice@h:1/a', ttlSeconds: 30 } });
    expect(second.lock.expiresAt.toISOString()).toBe(at(30).toISOString());
    expect(await store.heartbeat('l-env', 'alice@h:1/a', at(25))).toBe(true);
    expect((await store.acquireLock('l-env', 'bob@h:2/b', 30, at(40))).acquired).toBe(false);
    expect(await store.releaseLock('l-env', 'bob@h:2/b')).toBe(false);
    // No heartbeat since t=25: at t=56 the lock has expired and bob takes over.
    const taken = await store.acquireLock('l-env', 'bob@h:2/b', 30, at(56));
    expect(taken.acquired).toBe(true);
    expect(taken.lock.since.toISOString()).toBe(at(56).toISOString());
    expect(await store.heartbeat('l-env', 'alice@h:1/a', at(57))).toBe(false);
    expect((await store.getLock('l-env'))?.holder).toBe('bob@h:2/b');
    expect((await store.listLocks()).map((l) => l.env)).toContain('l-env');
    expect(await store.releaseLock('l-env', 'bob@h:2/b')).toBe(true);
    expect(await store.getLock('l-env')).toBeUndefined();
  });

  test('locks: re-acquire by the holder keeps `since`; forceRelease removes any holder', async () => {
    await store.acquireLock('f-env', 'x', 30, at(0));
    const again = await store.acquireLock('f-env', 'x', 30, at(5));
    expect(again.acquired).toBe(true);
    expect(again.lock.since.toISOString()).toBe(at(0).toISOString());
    expect((await store.forceRelease('f-env'))?.holder).toBe('x');
    expect(await store.forceRelease('f-env')).toBeUndefined();
  });

  test('locks: of many concurrent acquirers exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.acquireLock('race-lock', `h${i}`, 30, at(0))),
    );
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    const holder = winners[0]!.lock.holder;
    expect(results.every((r) => r.lock.holder === holder)).toBe(true);
  });

  test('audit: newest first, filtered by env, actor, action prefix, since, limit', async () => {
    await store.audit({
      actor: 'U1',
      env: 'au-env',
      action: 'approval.add',
      details: { digest: 'x' },
      at: at(1),
    });
    await store.audit({ actor: 'U2', env: 'au-env', action: 'approval.deny', at: at(2) });
    await store.audit({ actor: 'U1', env: 'au-env', action: 'apply', details: { ok: true }, at: at(3) });
    await store.audit({ actor: 'U1', action: 'platform.thing', at: at(4) });
    const all = await store.listAudit({ env: 'au-env' });
    expect(all.map((e) => e.action)).toEqual(['apply', 'approval.deny', 'approval.add']);
    expect(all[2]?.details).toEqual({ digest: 'x' });
    expect((await store.listAudit({ env: 'au-env', action: 'approval.*' })).map((e) => e.action)).toEqual([
      'approval.deny',
      'approval.add',
    ]);
    expect((await store.listAudit({ env: 'au-env', action: 'apply' })).length).toBe(1);
    expect((await store.listAudit({ actor: 'U2' })).map((e) => e.action)).toEqual(['approval.deny']);
    expect((await store.listAudit({ env: 'au-env', since: at(2) })).length).toBe(2);
    expect((await store.listAudit({ limit: 1 }))[0]?.action).toBe('platform.thing');
    expect((await store.listAudit({ action: 'platform.thing' }))[0]?.env).toBeUndefined();
  });

  test('drift incidents: repeated runs update one incident; resolve then reopen makes a new one', async () => {
    const a = await store.openOrUpdateIncident({
      env: 'd-env',
      fingerprint: 'f1',
      summary: { n: 1 },
      now: at(0),
    });
    expect(a).toMatchObject({ isNew: true, changed: false, incident: { status: 'open', occurrences: 1 } });
    const b = await store.openOrUpdateIncident({
      env: 'd-env',
      fingerprint: 'f1',
      summary: { n: 1 },
      now: at(60),
    });
    expect(b).toMatchObject({
      isNew: false,
      changed: false,
      incident: { id: a.incident.id, occurrences: 2 },
    });
    expect(b.incident.updatedAt.toISOString()).toBe(at(60).toISOString());
    const c = await store.openOrUpdateIncident({
      env: 'd-env',
      fingerprint: 'f2',
      summary: { n: 2 },
      now: at(120),
    });
    expect(c).toMatchObject({
      isNew: false,
      changed: true,
      incident: { id: a.incident.id, fingerprint: 'f2', summary: { n: 2 } },
    });
    await store.setIncidentSlackThread(a.incident.id, 'C1', '123.456');
    await store.ackIncident(a.incident.id, 'U9', at(130));
    await store.snoozeIncident(a.incident.id, at(3600), 'U9');
    const got = await store.getOpenIncident('d-env');
    expect(got).toMatchObject({ id: a.incident.id, slackChannel: 'C1', slackTs: '123.456', ackedBy: 'U9' });
    expect(got?.snoozedUntil?.toISOString()).toBe(at(3600).toISOString());
    const resolved = await store.resolveIncident(a.incident.id, { actor: 'drift', now: at(200) });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'drift' });
    expect(await store.resolveIncident(a.incident.id, { actor: 'drift' })).toBeUndefined();
    expect(await store.getOpenIncident('d-env')).toBeUndefined();
    const d = await store.openOrUpdateIncident({
      env: 'd-env',
      fingerprint: 'f1',
      summary: {},
      now: at(300),
    });
    expect(d.isNew).toBe(true);
    expect(d.incident.id).not.toBe(a.incident.id);
    expect((await store.listIncidents({ env: 'd-env' })).length).toBe(2);
    expect((await store.listIncidents({ env: 'd-env', status: 'open' })).map((i) => i.id)).toEqual([
      d.incident.id,
    ]);
  });

  test('drift incidents: concurrent first reports converge on one open incident', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        store.openOrUpdateIncident({ env: 'dr-env', fingerprint: 'f', summary: {} }),
      ),
    );
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect((await store.getOpenIncident('dr-env'))?.occurrences).toBe(4);
  });

  test('access requests: approvals, grant once, active/expired grants, revoke once', async () => {
    const r = await store.createAccessRequest({
      env: 'x-prod',
      policy: 'prod-view',
      role: 'view',
      requester: 'U1',
      reason: 'INC-1',
      durationSeconds: 3600,
      minApprovals: 2,
      namespaces: ['team-a'],
      now: at(0),
    });
    expect(r).toMatchObject({ status: 'pending', approvers: [], namespaces: ['team-a'], bindingRefs: [] });
    const a1 = await store.addAccessApproval({ requestId: r.id, approver: 'U2' });
    expect(a1).toMatchObject({
      added: true,
      complete: false,
      request: { approvers: ['U2'], status: 'pending' },
    });
    expect(await store.addAccessApproval({ requestId: r.id, approver: 'U2' })).toMatchObject({
      added: false,
      complete: false,
    });
    const a2 = await store.addAccessApproval({ requestId: r.id, approver: 'U3' });
    expect(a2).toMatchObject({
      added: true,
      complete: true,
      request: { status: 'approved', approvers: ['U2', 'U3'] },
    });
    expect(await store.addAccessApproval({ requestId: 'acc_missing', approver: 'U3' })).toBeUndefined();

    const g = await store.markGranted(r.id, {
      grantedAt: at(10),
      expiresAt: at(3610),
      bindingRefs: ['RoleBinding/team-a/jit-1'],
    });
    expect(g).toMatchObject({ status: 'granted', bindingRefs: ['RoleBinding/team-a/jit-1'] });
    expect(
      await store.markGranted(r.id, { grantedAt: at(11), expiresAt: at(3611), bindingRefs: [] }),
    ).toBeUndefined();
    expect((await store.listGrants({ active: true, now: at(100) })).map((x) => x.id)).toContain(r.id);
    expect((await store.listExpiredGrants(at(100))).map((x) => x.id)).not.toContain(r.id);
    expect((await store.listExpiredGrants(at(3610))).map((x) => x.id)).toContain(r.id);
    expect((await store.listGrants({ active: false, now: at(4000) })).map((x) => x.id)).toContain(r.id);

    const revoked = await store.markRevoked(r.id, { actor: 'expiry-job', at: at(3611), reason: 'expired' });
    expect(revoked).toMatchObject({ status: 'expired', revokedBy: 'expiry-job', revokeReason: 'expired' });
    expect(await store.markRevoked(r.id, { actor: 'U1', at: at(3612), reason: 'manual' })).toBeUndefined();
    expect((await store.listExpiredGrants(at(5000))).map((x) => x.id)).not.toContain(r.id);
  });

  test('access requests: deny, failure, listing, slack message', async () => {
    const r = await store.createAccessRequest({
      env: 'y-prod',
      policy: 'p',
      role: 'admin',
      requester: 'U1',
      reason: 'r',
      durationSeconds: 60,
      minApprovals: 1,
    });
    await store.setAccessSlackMessage(r.id, 'C9', '1.2');
    const denied = await store.denyAccessRequest({ requestId: r.id, actor: 'U2', reason: 'no' });
    expect(denied).toMatchObject({ status: 'denied', deniedBy: 'U2', slackChannel: 'C9', slackTs: '1.2' });
    expect((await store.addAccessApproval({ requestId: r.id, approver: 'U3' }))?.added).toBe(false);
    expect(
      await store.markGranted(r.id, { grantedAt: at(0), expiresAt: at(60), bindingRefs: [] }),
    ).toBeUndefined();
    const f = await store.createAccessRequest({
      env: 'y-prod',
      policy: 'p',
      role: 'view',
      requester: 'U4',
      reason: 'r',
      durationSeconds: 60,
      minApprovals: 1,
    });
    await store.addAccessApproval({ requestId: f.id, approver: 'U2' });
    expect(await store.markAccessFailed(f.id, 'kubernetes said 403')).toMatchObject({
      status: 'failed',
      error: 'kubernetes said 403',
    });
    expect((await store.listAccessRequests({ env: 'y-prod', requester: 'U4' })).map((x) => x.id)).toEqual([
      f.id,
    ]);
    expect((await store.getAccessRequest(r.id))?.status).toBe('denied');
  });

  test('rotations: steps in order, finish once, last by status', async () => {
    const r1 = await store.recordRotationStart({ env: 'r-env', secret: 's', actor: 'cron', now: at(0) });
    await store.recordRotationStep(r1.id, {
      step: 'create-key',
      status: 'ok',
      details: { keyId: 1 },
      at: at(1),
    });
    await store.recordRotationStep(r1.id, { step: 'seal', status: 'ok', at: at(2) });
    const done = await store.recordRotationFinish(r1.id, { status: 'succeeded', at: at(3) });
    expect(done?.steps.map((s) => s.step)).toEqual(['create-key', 'seal']);
    expect(done?.steps[0]?.details).toEqual({ keyId: 1 });
    expect(done?.steps[1]?.at.toISOString()).toBe(at(2).toISOString());
    expect(done?.finishedAt?.toISOString()).toBe(at(3).toISOString());
    expect(await store.recordRotationFinish(r1.id, { status: 'failed' })).toBeUndefined();
    const r2 = await store.recordRotationStart({ env: 'r-env', secret: 's', actor: 'U1', now: at(10) });
    await store.recordRotationFinish(r2.id, { status: 'failed', error: 'linode 500' });
    expect((await store.lastRotation('r-env', 's'))?.id).toBe(r2.id);
    expect((await store.lastRotation('r-env', 's', 'succeeded'))?.id).toBe(r1.id);
    expect((await store.lastRotation('r-env', 's'))?.error).toBe('linode 500');
    expect(await store.lastRotation('r-env', 'other')).toBeUndefined();
    expect((await store.listRotations({ env: 'r-env' })).map((r) => r.id)).toEqual([r2.id, r1.id]);
  });

  test('probes: series since a time, oldest first, by target', async () => {
    await store.recordProbe({ env: 'pr', target: 'api', ok: true, latencyMs: 12.5, at: at(0), status: 200 });
    await store.recordProbe({
      env: 'pr',
      target: 'api',
      ok: false,
      latencyMs: 3000,
      at: at(60),
      error: 'timeout',
    });
    await store.recordProbe({ env: 'pr', target: 'web', ok: true, latencyMs: 5, at: at(61) });
    const s = await store.probeSeries('pr', at(30));
    expect(s.map((p) => p.target)).toEqual(['api', 'web']);
    expect(s[0]).toMatchObject({ ok: false, latencyMs: 3000, error: 'timeout' });
    expect((await store.probeSeries('pr', at(0), 'api')).map((p) => p.latencyMs)).toEqual([12.5, 3000]);
  });

  test('slack bookkeeping: request keys are seen once; message refs upsert', async () => {
    expect(await store.rememberSlackRequest('k1')).toBe(true);
    expect(await store.rememberSlackRequest('k1')).toBe(false);
    expect(await store.getMessageRef('plan', 'prod:d')).toBeUndefined();
    await store.saveMessageRef({ kind: 'plan', key: 'prod:d', channel: 'C1', ts: '1.1' });
    await store.saveMessageRef({ kind: 'plan', key: 'prod:d', channel: 'C1', ts: '2.2' });
    expect(await store.getMessageRef('plan', 'prod:d')).toMatchObject({ channel: 'C1', ts: '2.2' });
  });

  test('job locks: held once until released', async () => {
    const a = await store.tryJobLock('drift');
    expect(a).toBeDefined();
    expect(await store.tryJobLock('drift')).toBeUndefined();
    const other = await store.tryJobLock('rotation');
    expect(other).toBeDefined();
    await a!.release();
    const again = await store.tryJobLock('drift');
    expect(again).toBeDefined();
    await again!.release();
    await other!.release();
  });
});
