import { describe, expect, it } from 'vitest';
import type { Approval } from '../store/types.js';
import { gateReasons, judgeApprovals } from './gate.js';

const now = new Date('2030-01-01T12:00:00Z');
const D = 'a'.repeat(64);
let n = 0;
const approval = (approver: string, over: Partial<Approval> = {}): Approval => ({
  id: `apr_${++n}`,
  env: 'production',
  via: 'slack',
  digest: D,
  approver,
  requester: 'UREQ',
  createdAt: now,
  expiresAt: new Date(now.getTime() + 3600_000),
  used: false,
  ...over,
});
const judge = (approvals: Approval[], minApprovals = 1, requester = 'UREQ') =>
  judgeApprovals({
    env: 'production',
    digest: D,
    requester,
    minApprovals,
    approvals,
    allowed: new Set(['UA', 'UB', 'UREQ']),
    approversText: '@leads',
    now,
  });

describe('approval gate', () => {
  it('accepts one valid approval', () => {
    const a = approval('UA');
    expect(judge([a])).toEqual({ ok: true, approvalIds: [a.id], approvers: ['UA'] });
  });

  it.each([
    ['self-approval', approval('UREQ'), /UREQ cannot approve a change they requested/],
    ['not-approver', approval('UX'), /UX is not an approver of production \(approvers: @leads\)/],
    ['expired', approval('UA', { expiresAt: now }), /UA's approval expired at 2030-01-01T12:00:00.000Z/],
    [
      'other-digest',
      approval('UA', { digest: 'b'.repeat(64) }),
      /UA approved plan bbbbbbbbbbbb, not this plan aaaaaaaaaaaa/,
    ],
    ['used', approval('UA', { used: true, usedAt: now }), /already used at 2030-01-01T12:00:00.000Z/],
    // Recorded from a name on a command line (before identities were verified): never counts.
    [
      'unverified',
      approval('UA', { via: 'unverified' }),
      /UA's approval was recorded without a verified identity; approve in Slack or from CI with an OIDC token/,
    ],
  ])('refuses %s', (reason, a, message) => {
    const d = judge([a]);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.rejections.map((r) => r.reason)).toEqual([reason]);
    expect(gateReasons(d).join('\n')).toMatch(message);
    expect(gateReasons(d).at(-1)).toBe('no valid approval yet (1 needed)');
  });

  it('an approver who applies themselves is the requester: their approval does not count', () => {
    const d = judge([approval('UA', { requester: 'USOMEONE' })], 1, 'UA');
    expect(d).toMatchObject({ ok: false, rejections: [{ reason: 'self-approval' }] });
  });

  it('needs distinct approvers for minApprovals', () => {
    expect(judge([approval('UA'), approval('UA')], 2)).toMatchObject({ ok: false, valid: ['UA'], needed: 2 });
    const two = judge([approval('UA'), approval('UB')], 2);
    expect(two).toMatchObject({ ok: true, approvers: ['UA', 'UB'] });
    const d = judge([approval('UA')], 2);
    if (!d.ok) expect(gateReasons(d).at(-1)).toBe('1 of 2 approvals (UA); 1 more needed');
  });

  it('does not mention used or expired approvals of other digests', () => {
    const d = judge([
      approval('UA', { digest: 'c'.repeat(64), used: true }),
      approval('UB', { digest: 'c'.repeat(64), expiresAt: now }),
    ]);
    expect(d).toMatchObject({ ok: false, rejections: [] });
  });
});
