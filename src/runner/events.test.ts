import { describe, expect, it } from 'vitest';
import { auditNotifier, describeEvent, fanOut, type RunnerEvent, terminalNotifier } from './events.js';

const at = new Date('2030-01-01T00:00:00Z');
const applied: RunnerEvent = {
  type: 'applied',
  env: 'production',
  actor: 'U1',
  at,
  digest: 'a'.repeat(64),
  counts: { add: 1, change: 2, destroy: 0, replace: 0 },
  kind: 'plan',
  durationMs: 1500,
};

describe('runner events', () => {
  it('one failing notifier neither stops the others nor the run', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const broken = { name: 'slack', notify: async () => Promise.reject(new Error('slack is down')) };
    await fanOut([broken, terminalNotifier((l) => lines.push(l))], (name, err) =>
      errors.push(`${name}: ${err.message}`),
    ).notify(applied);
    expect(lines).toEqual(['production: applied aaaaaaaaaaaa (+1 ~2 -0) in 1.5s']);
    expect(errors).toEqual(['slack: slack is down']);
  });

  it('the audit notifier records each event with its details', async () => {
    const entries: unknown[] = [];
    await auditNotifier({
      audit: async (e) => {
        entries.push(e);
        return { id: 'x', at, actor: e.actor, action: e.action, details: e.details ?? {} };
      },
    }).notify(applied);
    expect(entries).toEqual([
      {
        actor: 'U1',
        env: 'production',
        action: 'event.applied',
        at,
        details: {
          digest: 'a'.repeat(64),
          counts: { add: 1, change: 2, destroy: 0, replace: 0 },
          kind: 'plan',
          durationMs: 1500,
        },
      },
    ]);
  });

  it('describes drift and approvals in one line each', () => {
    expect(
      describeEvent({
        type: 'drift-found',
        env: 'staging',
        actor: 'bot',
        at,
        incidentId: 'inc_1',
        fingerprint: 'f',
        isNew: true,
        changed: false,
        infrastructure: ['a'],
        unapplied: [],
        staleFiles: ['x', 'y'],
      }),
    ).toBe('staging: drift found (incident inc_1): 1 changed outside terraform, 2 generated files stale');
    expect(
      describeEvent({
        type: 'awaiting-approval',
        env: 'production',
        actor: 'U1',
        at,
        digest: 'b'.repeat(64),
        requester: 'U1',
        counts: { add: 0, change: 1, destroy: 0, replace: 0 },
        approveCommand: 'envc approvals approve …',
        expiresAt: at,
        reasons: [],
      }),
    ).toBe(
      'production: awaiting approval of bbbbbbbbbbbb requested by U1 (+0 ~1 -0); approve with: envc approvals approve …',
    );
  });
});
