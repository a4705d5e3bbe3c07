import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { approvalMessage, approveConfirmModal, denyModal } from '../../bot/blocks/approval.js';
import type { PlanView } from '../../bot/plan-view.js';
import { mrkdwn } from './mrkdwn.js';
import { renderBlocks } from './render.js';

/** The renderer against the bot's real payloads (its own builders), read back through a DOM parser. */
const users: Record<string, string> = { U0DEMORITA: 'rita', U0DEMOLENA: 'lena' };
const ctx = { userName: (id: string) => users[id] ?? id };
const dom = (markup: string) => new JSDOM(`<body>${markup}</body>`).window.document;

const plan: PlanView = {
  env: 'production',
  digest: 'ab'.repeat(32),
  add: 2,
  change: 1,
  destroy: 0,
  changes: [
    {
      address: 'module.cluster.linode_lke_cluster.this',
      action: 'update',
      protected: false,
      origin: 'environments.yaml:150 environments.production.cluster',
    },
    { address: 'module.network.linode_firewall.this', action: 'create', protected: false },
  ],
  protectedDestroys: [],
};

describe('Block Kit renderer', () => {
  it('renders the approval message: header, fields, mention, date, buttons and the page link', () => {
    const m = approvalMessage(
      {
        plan,
        requester: 'U0DEMORITA',
        expiresAt: new Date('2026-12-02T18:00:00Z'),
        minApprovals: 1,
        approvals: [],
        status: 'pending',
      },
      { planUrl: () => 'http://127.0.0.1:1234/plans/abab' },
    );
    const d = dom(renderBlocks(m.blocks, ctx));
    expect(d.querySelector('.bk-header')!.textContent).toBe('Approval needed: production');
    const fields = [...d.querySelectorAll('.bk-fields > div')].map((f) => f.textContent);
    expect(fields).toContain('Requested by@rita');
    expect(fields).toContain('Expires2026-12-02 18:00 UTC');
    expect(d.querySelector('.bk-fields strong')!.textContent).toBe('Environment');
    const buttons = [...d.querySelectorAll('.bk-actions button, .bk-actions a')].map((b) => b.textContent);
    expect(buttons).toEqual(['Approve', 'Deny', 'View plan', 'View the full change']);
    expect(d.querySelector('.bk-actions a')!.getAttribute('href')).toBe('http://127.0.0.1:1234/plans/abab');
    expect(d.querySelector('.btn-primary')!.textContent).toBe('Approve');
    expect(d.querySelector('.unsupported')).toBeNull();
  });

  it('renders modals with labelled inputs named by block and action id', () => {
    const d = dom(
      renderBlocks(denyModal(plan, { env: 'production', digest: plan.digest }).blocks as unknown[], {
        ...ctx,
        inputName: (b, a) => `in:${b}:${a}`,
      }),
    );
    const area = d.querySelector('textarea')!;
    expect(area.getAttribute('name')).toBe('in:deny_reason:reason');
    expect(d.querySelector(`label[for="${area.id}"]`)!.textContent).toContain('Reason');
    expect(area.hasAttribute('required')).toBe(false);
    const confirm = dom(
      renderBlocks(
        approveConfirmModal(plan, { env: 'production', digest: plan.digest }, 'U0DEMORITA')
          .blocks as unknown[],
        ctx,
      ),
    );
    expect(confirm.body.textContent).toContain(plan.digest);
  });

  it('escapes what people typed and keeps mrkdwn formatting', () => {
    const html = mrkdwn(
      '*bold* _it_ ~gone~ `a<b` &lt;script&gt;alert(1)&lt;/script&gt; <https://x.example/?a=1&amp;b=2|link> <javascript:alert(1)|bad> :rocket:',
      ctx,
    );
    const d = dom(html);
    expect(d.querySelector('strong')!.textContent).toBe('bold');
    expect(d.querySelector('em')!.textContent).toBe('it');
    expect(d.querySelector('del')!.textContent).toBe('gone');
    expect(d.querySelector('code')!.textContent).toBe('a<b');
    expect(d.querySelector('script')).toBeNull();
    expect(d.body.textContent).toContain('<script>alert(1)</script>');
    const links = [...d.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['link', 'https://x.example/?a=1&b=2'],
      ['bad', '#'],
    ]);
    expect(d.body.textContent).toContain('🚀');
  });

  it('shows an unknown block type instead of dropping it', () => {
    expect(renderBlocks([{ type: 'video' }], ctx)).toContain('unsupported block video');
  });
});
