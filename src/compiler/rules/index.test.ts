import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from './index.js';
import {
  RULE_CRASHED,
  rules,
  runRules,
  WAIVER_EXPIRED,
  WAIVER_UNKNOWN_RULE,
  WAIVER_UNUSED,
  waiverCovers,
} from './index.js';
import { env, o, TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };
const docsDir = join(import.meta.dirname, '../../../docs/rules');

function breakHa() {
  const m = testModel();
  env(m, 'production').cluster.highAvailability = false;
  return m;
}

describe('rule registry', () => {
  it('has at least 15 rules with unique ENVC2nnn codes and names, in code order', () => {
    expect(rules.length).toBeGreaterThanOrEqual(15);
    const codes = rules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
    for (const c of codes) expect(c).toMatch(/^ENVC20(0[1-9]|[1-8][0-9])$/);
    expect([...codes].sort()).toEqual(codes);
  });
  it('has a doc page per rule and per waiver code, each naming its code and how to waive', () => {
    const pages = new Set(readdirSync(docsDir));
    for (const code of [
      ...rules.map((r) => r.code),
      WAIVER_EXPIRED,
      WAIVER_UNKNOWN_RULE,
      WAIVER_UNUSED,
      RULE_CRASHED,
    ]) {
      expect(pages, code).toContain(`${code}.md`);
      const text = readFileSync(join(docsDir, `${code}.md`), 'utf8');
      expect(text.startsWith(`# ${code}`), code).toBe(true);
    }
    for (const r of rules)
      expect(readFileSync(join(docsDir, `${r.code}.md`), 'utf8')).toContain('## Waiving');
  });
  it('finds nothing in the valid test model', () => {
    expect(runRules(testModel(), ctx)).toEqual([]);
  });
});

describe('runRules', () => {
  it('turns findings into diagnostics with code, severity, place and docs link', () => {
    const d = runRules(breakHa(), ctx);
    expect(d).toEqual([
      {
        code: 'ENVC2001',
        severity: 'error',
        message: 'production environment "production" has no highly available control plane',
        file: 'environments.yaml',
        line: 4,
        column: 7,
        path: 'environments.production.cluster',
        docs: 'docs/rules/ENVC2001.md',
        hint: expect.stringContaining('highAvailability'),
      },
    ]);
  });

  it('reports a waived finding as info, naming the expiry and the waiver', () => {
    const m = breakHa();
    m.waivers = [
      {
        rule: 'ENVC2001',
        reason: 'HA arrives with the 1.34 upgrade',
        expires: '2025-06-30',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    const d = runRules(m, ctx);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'ENVC2001', severity: 'info', line: 4 });
    expect(d[0]?.message).toBe(
      'waived until 2025-06-30: production environment "production" has no highly available control plane',
    );
    expect(d[0]?.hint).toBe('waiver at environments.yaml:300: HA arrives with the 1.34 upgrade');
  });

  it('waives on the expiry day itself, not the day after', () => {
    const m = breakHa();
    m.waivers = [
      { rule: 'ENVC2001', reason: 'migration in progress', expires: TODAY, origin: o('waivers[0]', 300, 5) },
    ];
    expect(runRules(m, ctx).map((d) => d.severity)).toEqual(['info']);
    const later = runRules(m, { today: '2025-06-02' });
    expect(later.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['ENVC2001', 'error', 4],
      ['ENVC2000', 'error', 300],
    ]);
    expect(later[1]?.message).toBe('waiver for ENVC2001 expired on 2025-06-01');
    expect(later[1]?.path).toBe('waivers[0]');
  });

  it('limits a waiver with a path to that path and below', () => {
    const m = testModel();
    env(m, 'production').cluster.highAvailability = false;
    env(m, 'production').tier = 'production';
    const dev = env(m, 'development');
    dev.tier = 'production';
    dev.cluster.highAvailability = false;
    m.waivers = [
      {
        rule: 'ENVC2001',
        path: 'environments.development',
        reason: 'dev mirrors prod tier for a drill',
        expires: '2025-12-31',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    const d = runRules(m, ctx).filter((x) => x.code === 'ENVC2001');
    expect(d.map((x) => [x.path, x.severity]).sort()).toEqual([
      ['environments.development.cluster', 'info'],
      ['environments.production.cluster', 'error'],
    ]);
  });

  it('matches paths on segment boundaries', () => {
    const w = {
      rule: 'ENVC2003',
      path: 'environments.prod',
      reason: 'x'.repeat(10),
      expires: TODAY,
      origin: o('w'),
    };
    expect(waiverCovers(w, 'ENVC2003', 'environments.prod.cluster')).toBe(true);
    expect(waiverCovers(w, 'ENVC2003', 'environments.production.cluster')).toBe(false);
    expect(
      waiverCovers(
        { ...w, path: 'environments.prod.cluster.pools' },
        'ENVC2003',
        'environments.prod.cluster.pools[1]',
      ),
    ).toBe(true);
    expect(waiverCovers(w, 'ENVC2004', 'environments.prod.cluster')).toBe(false);
  });

  it('reports a waiver for an unknown rule at the waiver, with a suggestion', () => {
    const m = testModel();
    m.waivers = [
      {
        rule: 'ENVC2301',
        reason: 'typo in the code',
        expires: '2030-01-01',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    const d = runRules(m, ctx);
    expect(d.map((x) => [x.code, x.severity, x.line, x.column])).toEqual([
      [WAIVER_UNKNOWN_RULE, 'error', 300, 5],
    ]);
    expect(d[0]?.message).toBe('waiver names unknown rule "ENVC2301"');
    expect(d[0]?.hint).toMatch(/^did you mean "ENVC20\d\d"\?/);
  });

  it('treats a waiver of a waiver code as unknown (those cannot be waived)', () => {
    const m = testModel();
    m.waivers = [
      {
        rule: 'ENVC2000',
        reason: 'keep old waivers forever',
        expires: '2030-01-01',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    expect(runRules(m, ctx).map((x) => x.code)).toEqual([WAIVER_UNKNOWN_RULE]);
  });

  it('warns about a waiver that matches nothing', () => {
    const m = testModel();
    m.waivers = [
      {
        rule: 'ENVC2003',
        path: 'environments.production',
        reason: 'gpu pool being drained',
        expires: '2030-01-01',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    const d = runRules(m, ctx);
    expect(d.map((x) => [x.code, x.severity])).toEqual([[WAIVER_UNUSED, 'warning']]);
    expect(d[0]?.message).toBe('waiver for ENVC2003 at "environments.production" matches no finding');
  });

  it('turns a crashing rule into one diagnostic and keeps the others running', () => {
    const boom: Rule = {
      code: 'ENVC2098',
      name: 'boom',
      title: 'boom',
      severity: 'error',
      check: () => {
        throw new Error('kaput');
      },
    };
    const d = runRules(breakHa(), ctx, [boom, ...rules]);
    expect(d.map((x) => x.code)).toEqual([RULE_CRASHED, 'ENVC2001']);
    expect(d[0]?.message).toBe('internal error in rule ENVC2098 (boom): kaput');
  });

  it('returns diagnostics in a stable order regardless of rule order', () => {
    const m = breakHa();
    env(m, 'development').cluster.pools[0]!.count = 0;
    m.secrets[0]!.usedBy = ['nope'];
    const a = runRules(m, ctx);
    const b = runRules(m, ctx, [...rules].reverse());
    expect(a.map((x) => x.code)).toEqual([
      'ENVC2001',
      'ENVC2017',
      'ENVC2018',
      'ENVC2005',
      'ENVC2005',
      'ENVC2005',
      'ENVC2019',
    ]);
    expect(b).toEqual(a);
  });

  it('never reads the clock: the same model and date give the same result', () => {
    const m = breakHa();
    m.waivers = [
      {
        rule: 'ENVC2001',
        reason: 'HA arrives with the 1.34 upgrade',
        expires: '2025-06-30',
        origin: o('waivers[0]', 300, 5),
      },
    ];
    expect(runRules(m, { today: '2025-07-01' })[1]?.code).toBe(WAIVER_EXPIRED);
    expect(runRules(m, { today: '2025-06-30' }).map((x) => x.severity)).toEqual(['info']);
  });
});
