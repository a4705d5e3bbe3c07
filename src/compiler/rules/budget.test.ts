import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PriceCatalogue, parseCatalogue } from '../../cost/catalogue.js';
import { buildModelFromText } from '../pipeline.js';

const SPEC = readFileSync(new URL('../../../environments.yaml', import.meta.url), 'utf8');
const parsed = parseCatalogue(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/prices/catalogue.json', import.meta.url), 'utf8')),
);
if (!('catalogue' in parsed)) throw new Error(parsed.error);
const CAT: PriceCatalogue = parsed.catalogue;

/** The shipped spec with a budget on production (which costs $1,447.40 with the fixture prices). */
function withBudget(monthly: number, waiver = '') {
  const text =
    SPEC.replace(
      '    protected: true\n',
      `    protected: true\n    budget: { monthly: ${monthly}, currency: USD }\n`,
    ) + waiver;
  return buildModelFromText(text, 'environments.yaml', {
    today: '2026-12-02',
    prices: () => CAT,
  }).diagnostics.filter((d) => d.code === 'ENVC2025');
}

describe('ENVC2025 budget', () => {
  it('is silent under 90% of the budget', () => {
    expect(withBudget(1700)).toEqual([]);
  });
  it('warns above 90%, at the budget line', () => {
    const [d, ...rest] = withBudget(1500);
    expect(rest).toEqual([]);
    expect(d?.severity).toBe('warning');
    expect(d?.path).toBe('environments.production.budget');
    expect(d?.line).toBe(SPEC.split('\n').indexOf('    protected: true') + 2);
    expect(d?.message).toBe(
      'environment "production" costs $1,447.40 a month, above 90% of its budget of $1,500.00 (96%)',
    );
    expect(d?.hint).toMatch(
      /^largest: pool general: 4 × g6-dedicated-8 \$576\.00, postgres .* \$408\.00; see `envc cost --env production`/,
    );
  });
  it('errors above the budget', () => {
    const [d] = withBudget(1000);
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('over its budget of $1,000.00 (145%)');
  });
  it('is waivable until the waiver expires', () => {
    const waiver = (expires: string) =>
      `waivers:\n  - rule: ENVC2025\n    path: environments.production.budget\n    reason: GPU trial until the quarter ends\n    expires: ${expires}\n`;
    const [waived] = withBudget(1000, waiver('2027-01-31'));
    expect(waived?.severity).toBe('info');
    expect(waived?.message).toMatch(/^waived until 2027-01-31: /);
    const text =
      SPEC.replace('    protected: true\n', '    protected: true\n    budget: { monthly: 1000 }\n') +
      waiver('2026-11-30');
    const all = buildModelFromText(text, 'environments.yaml', {
      today: '2026-12-02',
      prices: () => CAT,
    }).diagnostics;
    expect(all.find((d) => d.code === 'ENVC2000')?.severity).toBe('error');
    expect(all.find((d) => d.code === 'ENVC2025')?.severity).toBe('error');
  });
  it('says when the prices are older than 90 days', () => {
    const text = SPEC.replace(
      '    protected: true\n',
      '    protected: true\n    budget: { monthly: 1000 }\n',
    );
    const [d] = buildModelFromText(text, 'environments.yaml', {
      today: '2027-03-01',
      prices: () => CAT,
    }).diagnostics.filter((x) => x.code === 'ENVC2025');
    expect(d?.hint).toMatch(/\(prices of 2026-11-01, older than 90 days: run `envc prices update`\)$/);
  });
  it('stays silent without a catalogue', () => {
    const text = SPEC.replace('    protected: true\n', '    protected: true\n    budget: { monthly: 1 }\n');
    expect(
      buildModelFromText(text, 'environments.yaml', { today: '2026-12-02' }).diagnostics.filter(
        (d) => d.code === 'ENVC2025',
      ),
    ).toEqual([]);
  });
});
