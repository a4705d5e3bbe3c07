import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorOf, loadGroupMap, localApprovers, membersOf } from './identity.js';

describe('approver identity for the CLI', () => {
  it('user ids count directly; groups and handles through the map; unknown groups admit nobody', () => {
    const groups = { '@platform-leads': ['U1', 'U2'], S0ABC: ['U3'] };
    expect([...membersOf(['U9', '@platform-leads', 'S0ABC', '@unknown', 'SNOPE'], groups)].sort()).toEqual([
      'U1',
      'U2',
      'U3',
      'U9',
    ]);
    expect([...membersOf(['@platform-leads'], { 'platform-leads': ['U5'] })]).toEqual(['U5']);
  });

  it('reads ENVC_APPROVER_GROUPS first, else the approvers file; rejects malformed maps', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'envc-id-'));
    expect(loadGroupMap({}, cwd)).toEqual({});
    mkdirSync(join(cwd, '.envc'));
    writeFileSync(join(cwd, '.envc', 'approvers.json'), '{"@leads":["U1"]}');
    expect(loadGroupMap({}, cwd)).toEqual({ '@leads': ['U1'] });
    expect(loadGroupMap({ ENVC_APPROVER_GROUPS: '{"@x":["U2"]}' }, cwd)).toEqual({ '@x': ['U2'] });
    expect(() => loadGroupMap({ ENVC_APPROVER_GROUPS: '{"@x":"U2"}' }, cwd)).toThrow(
      /"@x" must list user ids/,
    );
    expect(() => loadGroupMap({ ENVC_APPROVER_GROUPS: 'nope' }, cwd)).toThrow(
      /ENVC_APPROVER_GROUPS is not JSON/,
    );
  });

  it('isApprover per environment', async () => {
    const is = localApprovers((env) => (env === 'production' ? ['@leads'] : undefined), { '@leads': ['U1'] });
    expect(await is('production', 'U1')).toBe(true);
    expect(await is('production', 'U2')).toBe(false);
    expect(await is('staging', 'U1')).toBe(false);
  });

  it('actor: --as, then ENVC_ACTOR, then cli:<login>', () => {
    expect(actorOf('U1', { ENVC_ACTOR: 'ci:x' })).toBe('U1');
    expect(actorOf(undefined, { ENVC_ACTOR: 'ci:x' })).toBe('ci:x');
    expect(actorOf(undefined, {})).toMatch(/^cli:/);
  });
});
