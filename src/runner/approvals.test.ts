import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/types.js';
import { approve, deny, resolveDigest } from './approvals.js';
import { localApprovers } from './identity.js';
import { policy } from './test-harness.js';

describe('approve and deny (the CLI front end)', () => {
  let store: Store;
  const D = `${'ab'.repeat(31)}cd`;
  const E = `${'ab'.repeat(31)}ef`;
  const policies = {
    production: policy('production', { required: true, approvers: ['@leads'], expiresAfterSeconds: 600 }),
  };
  const deps = () => ({
    store,
    policy: (env: string) => policies[env as 'production'],
    isApprover: localApprovers((env) => policies[env as 'production']?.approvals.approvers, {
      '@leads': ['ULEAD', 'ULEAD2'],
    }),
    now: () => new Date('2030-01-01T00:00:00Z'),
  });

  beforeAll(async () => {
    store = (await openTestStore()).store;
    await store.recordPlan({
      env: 'production',
      digest: D,
      summary: {},
      planPath: '/p/d',
      createdBy: 'UREQ',
    });
    await store.recordPlan({
      env: 'production',
      digest: E,
      summary: {},
      planPath: '/p/e',
      createdBy: 'UREQ',
    });
  });
  afterAll(async () => store?.close());

  it('resolves full digests and unambiguous prefixes only', async () => {
    expect(await resolveDigest(store, 'production', D)).toEqual({ ok: true, digest: D });
    expect(await resolveDigest(store, 'production', D.slice(0, 63))).toEqual({ ok: true, digest: D });
    expect(await resolveDigest(store, 'production', 'abababab')).toMatchObject({
      ok: false,
      message: expect.stringContaining('matches 2 plans'),
    });
    expect(await resolveDigest(store, 'production', 'abc')).toMatchObject({
      ok: false,
      message: expect.stringContaining('at least 8'),
    });
    expect(await resolveDigest(store, 'production', 'ffffffff')).toMatchObject({
      ok: false,
      message: expect.stringContaining('no plan of production'),
    });
  });

  it('records an approval with the policy expiry and audits it', async () => {
    const r = await approve(deps(), { env: 'production', digest: D, approver: 'ULEAD', via: 'slack' });
    expect(r).toMatchObject({ ok: true, digest: D, approval: { approver: 'ULEAD', requester: 'UREQ' } });
    if (r.ok) expect(r.approval.expiresAt.toISOString()).toBe('2030-01-01T00:10:00.000Z');
    expect((await store.listAudit({ env: 'production', action: 'approval.add' }))[0]).toMatchObject({
      actor: 'ULEAD',
      details: { digest: D },
    });
    expect(
      await approve(deps(), { env: 'staging', digest: D, approver: 'ULEAD', via: 'slack' }),
    ).toMatchObject({
      ok: false,
      message: 'the spec has no environment "staging"',
    });
  });

  it('deny: only the requester or an approver; it voids the approvals of that digest', async () => {
    await store.requestApproval({
      env: 'production',
      digest: D,
      requester: 'UREQ',
      expiresAt: new Date('2031-01-01T00:00:00Z'),
    });
    expect(await deny(deps(), { env: 'production', digest: D, actor: 'UOTHER' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('neither the requester nor an approver'),
    });
    expect(
      await deny(deps(), { env: 'production', digest: D, actor: 'ULEAD2', reason: 'not during the freeze' }),
    ).toMatchObject({
      ok: true,
      request: { status: 'denied', deniedBy: 'ULEAD2', reason: 'not during the freeze' },
    });
    expect(await store.listApprovals('production', D)).toEqual([]);
    expect(
      await approve(deps(), { env: 'production', digest: D, approver: 'ULEAD', via: 'slack' }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('was denied by ULEAD2'),
    });
    expect(await deny(deps(), { env: 'production', digest: E, actor: 'ULEAD' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('no approval was requested'),
    });
  });
});
