import { describe, expect, it } from 'vitest';
import type { Approval, ApprovalRequest, PlanRecord } from '../store/types.js';
import { countingApprovals, type GateInput, judge } from './approval-gate.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = new Date('2026-11-26T13:00:00Z');
const D1 = '1111aaaa'.repeat(8);
const D2 = '2222bbbb'.repeat(8);

const req = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: 'r1',
  env: 'production',
  digest: D1,
  requester: 'U0REQ',
  status: 'pending',
  createdAt: now,
  expiresAt: later,
  ...over,
});
const plan = (digest = D1): PlanRecord => ({
  id: 'p',
  env: 'production',
  digest,
  summary: {},
  planPath: '/p',
  createdBy: 'U0REQ',
  createdAt: now,
});
const appr = (approver: string, over: Partial<Approval> = {}): Approval => ({
  id: approver,
  env: 'production',
  via: 'slack',
  digest: D1,
  approver,
  requester: 'U0REQ',
  createdAt: now,
  expiresAt: later,
  used: false,
  ...over,
});

const base = (over: Partial<GateInput> = {}): GateInput => ({
  env: 'production',
  policy: { required: true, minApprovals: 2 },
  user: 'U0APP',
  userIsApprover: true,
  requests: [req()],
  latestPlan: plan(),
  approvals: [],
  now,
  ...over,
});

describe('approval gate', () => {
  it('allows an approver who is not the requester', () => {
    expect(judge(base())).toMatchObject({ ok: true, request: { digest: D1 } });
    expect(judge(base({ digest: D1.slice(0, 6) })).ok).toBe(true);
  });

  it.each([
    ['the requester', { user: 'U0REQ' }, 'self-approval'],
    ['a non-approver', { userIsApprover: false }, 'not-approver'],
    ['an expired request', { requests: [req({ expiresAt: now })] }, 'expired'],
    ['a used (applied) request', { requests: [req({ status: 'applied' })] }, 'used'],
    ['a request that already has its approvals', { requests: [req({ status: 'approved' })] }, 'used'],
    ['a denied request', { requests: [req({ status: 'denied', deniedBy: 'U0X' })] }, 'denied'],
    ['another digest', { digest: '2222' }, 'other-digest'],
    ['a superseded digest', { latestPlan: plan(D2) }, 'superseded'],
    ['a second approval by the same person', { approvals: [appr('U0APP')] }, 'already-approved'],
    ['no request', { requests: [] }, 'no-request'],
    ['an environment without approvals', { policy: { required: false, minApprovals: 1 } }, 'not-required'],
    ['an unknown environment', { policy: undefined }, 'unknown-env'],
  ] as Array<[string, Partial<GateInput>, string]>)('refuses %s', (_name, over, code) => {
    const j = judge(base(over));
    expect(j.ok).toBe(false);
    expect(!j.ok && j.code).toBe(code);
    expect(!j.ok && j.message.length).toBeGreaterThan(10);
  });

  it('asks for a digest when two plans wait, and refuses an ambiguous prefix', () => {
    const two = [req(), req({ id: 'r2', digest: `1111${D2.slice(4)}` })];
    expect(judge(base({ requests: two }))).toMatchObject({ ok: false, code: 'ambiguous' });
    expect(judge(base({ requests: two, digest: '1111' }))).toMatchObject({ ok: false, code: 'ambiguous' });
  });

  it('lets the requester or an approver deny, nobody else', () => {
    expect(judge(base({ action: 'deny', user: 'U0REQ', userIsApprover: false })).ok).toBe(true);
    expect(judge(base({ action: 'deny', user: 'U0APP' })).ok).toBe(true);
    expect(judge(base({ action: 'deny', user: 'U0OTHER', userIsApprover: false }))).toMatchObject({
      ok: false,
      code: 'not-approver',
    });
  });

  it('counts distinct, unused, unexpired approvals of current approvers other than the requester', () => {
    const list = [
      appr('U1'),
      appr('U1', { id: 'dup' }),
      appr('U2', { used: true }),
      appr('U3', { expiresAt: now }),
      appr('U0REQ'),
      appr('U4'),
      appr('U5'),
    ];
    expect(
      countingApprovals(list, 'U0REQ', new Set(['U1', 'U2', 'U3', 'U0REQ', 'U4']), now).map(
        (a) => a.approver,
      ),
    ).toEqual(['U1', 'U4']);
  });
});
