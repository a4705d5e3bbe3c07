import { describe, expect, it } from 'vitest';
import { checkBlocks, checkMessage, checkView } from '../../../test/support/slack/block-kit.js';
import { planView } from '../plan-view.js';
import {
  type ApprovalState,
  approvalMessage,
  approveConfirmModal,
  denyModal,
  parseApprovalValue,
} from './approval.js';
import { type IncidentState, incidentMessage, incidentReply } from './drift.js';
import { helpMessage, usageMessage } from './help.js';
import { planDetailsModal, planResultMessage } from './plan.js';
import { statusMessage } from './status.js';

const digest = 'a'.repeat(64);
const longAddr = (i: number) => `module.cluster.linode_lke_cluster.this["${'x'.repeat(300)}-${i}"]`;

function bigPlan(n: number) {
  return planView('production', digest, {
    add: n,
    change: 0,
    destroy: 2,
    resources: [
      ...Array.from({ length: n }, (_, i) => ({
        address: longAddr(i),
        action: 'create',
        origin: {
          file: 'environments.yaml',
          line: 100 + i,
          path: `environments.production.cluster.pools[${i}]`,
        },
      })),
      { address: 'module.db.linode_database_postgresql_v2.this', action: 'delete', protected: true },
      { address: 'linode_firewall.main', action: ['delete', 'create'] },
    ],
    revision: '0123456789abcdef0123',
  });
}

function approval(p = bigPlan(3), extra: Partial<ApprovalState> = {}): ApprovalState {
  return {
    plan: p,
    requester: 'U0REQUEST1',
    expiresAt: new Date('2026-11-26T12:00:00Z'),
    minApprovals: 2,
    approvals: [],
    status: 'pending',
    ...extra,
  };
}

const ok = (c: { text: string; blocks: unknown[] }) => {
  const r = checkMessage({ text: c.text, blocks: c.blocks });
  expect(r.errors).toEqual([]);
  expect(r.warnings).toEqual([]);
};

describe('approval blocks', () => {
  it('show environment, requester, counts, digest, protected destroys in bold and the three buttons', () => {
    const m = approvalMessage(approval());
    ok(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('production');
    expect(json).toContain('<@U0REQUEST1>');
    expect(json).toContain('+3 ~0 -2');
    expect(json).toContain(digest.slice(0, 12));
    expect(json).toContain('*`module.db.linode_database_postgresql_v2.this` (protected)*');
    expect(json).toContain('environments.yaml:100 environments.production.cluster.pools[0]');
    const actions = m.blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'envc.approval.approve',
      'envc.approval.deny',
      'envc.plan.view',
    ]);
    expect(parseApprovalValue(actions.elements[0]!.value)).toEqual({ env: 'production', digest });
  });

  it('stay within Slack limits for a plan with 500 long changes', () => {
    const m = approvalMessage(approval(bigPlan(500)));
    ok(m);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(m.blocks)).toContain('and 492 more');
    const modal = planDetailsModal(bigPlan(500));
    expect(checkView(modal)).toEqual([]);
    expect((modal.blocks as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it('drop Approve/Deny once decided and say by whom', () => {
    for (const status of ['approved', 'applied', 'denied', 'expired', 'failed', 'superseded'] as const) {
      const m = approvalMessage(
        approval(bigPlan(1), {
          status,
          deniedBy: 'U0DENIER1',
          reason: 'not now',
          approvals: [{ approver: 'U0APPROVE1', at: new Date() }],
        }),
      );
      ok(m);
      const ids = JSON.stringify(m.blocks);
      expect(ids).not.toContain('envc.approval.approve');
      expect(ids).toContain('envc.plan.view');
    }
    expect(
      JSON.stringify(
        approvalMessage(approval(bigPlan(1), { status: 'denied', deniedBy: 'U0DENIER1', reason: 'not now' }))
          .blocks,
      ),
    ).toContain('Denied by <@U0DENIER1>: not now');
  });

  it('confirmation modal repeats environment and the full digest', () => {
    const v = approveConfirmModal(
      bigPlan(2),
      { env: 'production', digest, channel: 'C1', ts: '1.2' },
      'U0REQUEST1',
    );
    expect(checkView(v)).toEqual([]);
    expect(JSON.stringify(v)).toContain(digest);
    expect(JSON.parse(v.private_metadata as string)).toEqual({
      env: 'production',
      digest,
      channel: 'C1',
      ts: '1.2',
    });
    expect(checkView(denyModal(bigPlan(2), { env: 'production', digest }))).toEqual([]);
  });

  it('escapes control characters of mrkdwn in spec-derived text', () => {
    const p = planView('staging', digest, { resources: [{ address: 'a<b>&c', action: 'create' }] });
    expect(JSON.stringify(planResultMessage(p, 'U0REQUEST1').blocks)).toContain('a&lt;b&gt;&amp;c');
  });
});

describe('drift, status and help blocks', () => {
  const incident: IncidentState = {
    id: 'inc-1',
    env: 'staging',
    status: 'open',
    openedAt: new Date('2026-11-26T06:00:00Z'),
    updatedAt: new Date('2026-11-26T12:00:00Z'),
    occurrences: 2,
    drift: {
      outOfBand: Array.from({ length: 40 }, (_, i) => `linode_instance.n${i}`),
      unapplied: ['a'],
      staleFiles: [],
    },
  };

  it('incident parent has Plan fix / Acknowledge / Snooze 24h while open, none when resolved', () => {
    const open = incidentMessage(incident, new Date());
    ok(open);
    expect(JSON.stringify(open.blocks)).toMatch(
      /envc\.drift\.plan_fix.*envc\.drift\.ack.*envc\.drift\.snooze/,
    );
    const resolved = incidentMessage(
      { ...incident, status: 'resolved', resolvedAt: new Date(), resolution: 'resolved by the apply' },
      new Date(),
    );
    ok(resolved);
    expect(JSON.stringify(resolved.blocks)).not.toContain('envc.drift');
    for (const k of ['still', 'changed', 'resolved', 'acked', 'snoozed'] as const)
      ok(incidentReply(k, incident, { at: new Date(), actor: 'U1' }));
  });

  it('status of many environments and help stay valid', () => {
    const envs = Array.from({ length: 12 }, (_, i) => ({
      env: `env${i}`,
      tier: 'production',
      pendingApprovals: [{ digest, requester: 'U0REQUEST1', expiresAt: new Date() }],
      lock: { holder: 'ci@runner:42', since: new Date() },
    }));
    const s = statusMessage(envs, new Date());
    ok(s);
    expect(checkBlocks(s.blocks)).toEqual([]);
    ok(helpMessage([{ usage: 'status [env]', summary: 'x' }]));
    ok(usageMessage('unknown sub-command "frob"', [{ usage: 'help', summary: 'this list' }]));
  });
});
