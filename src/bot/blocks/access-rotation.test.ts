import { describe, expect, it } from 'vitest';
import { defaultModel } from '../../../test/support/model.js';
import { checkMessage, checkView } from '../../../test/support/slack/block-kit.js';
import type { AccessRequest } from '../../store/types.js';
import {
  accessListMessage,
  accessRequestMessage,
  accessRequestModal,
  kubectlMessage,
  reviewModal,
} from './access.js';
import { rotationParentMessage } from './rotation.js';

const long = 'x'.repeat(5000);
const req: AccessRequest = {
  id: 'acc_abcdef',
  env: 'production',
  policy: 'view',
  role: 'view',
  requester: 'U0ALICE',
  reason: long,
  durationSeconds: 7200,
  minApprovals: 2,
  namespaces: ['team-a'],
  status: 'pending',
  createdAt: new Date('2026-11-26T09:00:00Z'),
  approvers: ['U0BOB'],
  bindingRefs: [],
  details: { breakGlass: false },
};
const ok = (content: { text: string; blocks: unknown[] }) =>
  checkMessage({ channel: 'C1', text: content.text, blocks: content.blocks }).errors;

describe('access and rotation blocks stay within Slack limits, whatever the input', () => {
  it('the checker does reject an over-long section (so the checks below can fail)', () => {
    expect(
      ok({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: long } }] }),
    ).not.toEqual([]);
  });

  it('request, break-glass alert, DM and list', () => {
    const now = new Date('2026-11-26T09:00:00Z');
    expect(ok(accessRequestMessage(req, now, { approvers: ['@platform-leads'] }))).toEqual([]);
    const bg = accessRequestMessage(
      { ...req, status: 'granted', expiresAt: now, approvers: ['break-glass:break-glass'] },
      now,
      { breakGlass: true },
    );
    expect(ok(bg)).toEqual([]);
    expect(JSON.stringify(bg.blocks)).toContain('<!here>');
    expect(JSON.stringify(bg.blocks)).not.toContain('break-glass:break-glass');
    const dm = kubectlMessage(
      { ...req, status: 'granted', expiresAt: now },
      {
        context: 'envc-production',
        cluster: 'acme-production',
        user: 'alice@acme.example',
        namespaces: ['team-a'],
        commands: ['kubectl get pods'],
      },
    );
    expect(ok(dm)).toEqual([]);
    const many = Array.from({ length: 80 }, (_, i) => ({
      request: { ...req, id: `acc_${i}` },
      state: 'pending (0/1 approvals)',
      reviewPending: false,
    }));
    expect(ok(accessListMessage(many))).toEqual([]);
  });

  it('modals', async () => {
    const model = await defaultModel();
    expect(checkView(accessRequestModal(model, { env: 'production', policy: 'view' }))).toEqual([]);
    expect(checkView(reviewModal(req))).toEqual([]);
  });

  it('rotation parent in every state', () => {
    const head = {
      rotationId: 'rot_1',
      env: 'production',
      secret: 'objstore-key',
      source: 'linode-object-storage-key',
    };
    for (const s of [
      {
        status: 'awaiting-approval' as const,
        requester: 'U0ALICE',
        approvers: ['@platform-leads'],
        minApprovals: 1,
        approvals: [],
        expiresAt: new Date(),
        reason: long,
      },
      { status: 'running' as const, actor: 'envc-bot', trigger: 'scheduled' },
      { status: 'succeeded' as const, actor: 'envc-bot', nextDue: new Date(), revocationDueAt: new Date() },
      { status: 'failed' as const, step: 'rollout', error: long, oldCredentialValid: true, rollback: [long] },
      { status: 'denied' as const, actor: 'U0BOB', reason: long },
    ]) {
      expect(ok(rotationParentMessage(head, s)), s.status).toEqual([]);
    }
  });
});
