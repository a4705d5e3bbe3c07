import { describe, expect, it } from 'vitest';
import { Redactor } from '../redact.js';
import { createApproverDirectory } from './approvers.js';
import { memoryLog } from './log.js';

describe('approver directory', () => {
  const setup = (groups: Record<string, string[]>) => {
    const calls: string[] = [];
    let t = 0;
    const log = memoryLog(new Redactor());
    const dir = createApproverDirectory({
      lister: {
        usersOf: async (g) => {
          calls.push(g);
          const users = groups[g];
          if (!users) throw new Error('no_such_subteam');
          return users;
        },
      },
      handles: { 'platform-leads': 'S0LEADS01' },
      ttlMs: 1000,
      now: () => t,
      log,
    });
    return { dir, calls, log, advance: (ms: number) => (t += ms) };
  };

  it('resolves user ids, group ids and handles, caching groups for the TTL', async () => {
    const s = setup({ S0LEADS01: ['U0A', 'U0B'], S0ONCALL1: ['U0C'] });
    expect([...(await s.dir.members(['@platform-leads', 'S0ONCALL1', 'U0DIRECT']))].sort()).toEqual([
      'U0A',
      'U0B',
      'U0C',
      'U0DIRECT',
    ]);
    expect(await s.dir.isApprover('U0A', ['@platform-leads'])).toBe(true);
    expect(s.calls).toEqual(['S0LEADS01', 'S0ONCALL1']);
    s.advance(1001);
    await s.dir.members(['@platform-leads']);
    expect(s.calls).toEqual(['S0LEADS01', 'S0ONCALL1', 'S0LEADS01']);
  });

  it('admits nobody through an unknown group or an unmapped handle, and says so', async () => {
    const s = setup({});
    expect(await s.dir.isApprover('U0A', ['S0MISSING', '@nobody-maps-this'])).toBe(false);
    expect(s.log.lines.map((l) => l.msg)).toEqual([
      'approver group could not be resolved; it admits nobody',
      'approver handle has no user group id (set ENVC_SLACK_USERGROUPS); it admits nobody',
    ]);
  });
});

describe('usergroupHandles', () => {
  it('takes the spec map and lets ENVC_SLACK_USERGROUPS override a handle', async () => {
    const { usergroupHandles } = await import('./approvers.js');
    const model = {
      slack: {
        channel: '#x',
        approvers: [],
        usergroups: { 'platform-leads': 'S0614TZR7', oncall: 'S0000001' },
      },
    };
    expect(usergroupHandles(model, {})).toEqual({ 'platform-leads': 'S0614TZR7', oncall: 'S0000001' });
    expect(usergroupHandles(model, { ENVC_SLACK_USERGROUPS: 'oncall=S9999999' })).toEqual({
      'platform-leads': 'S0614TZR7',
      oncall: 'S9999999',
    });
  });
});
