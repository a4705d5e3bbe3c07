import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_SUITES, testFiles } from './suites.js';

const ROOT = join(import.meta.dirname, '../..');

describe('the two test sets', () => {
  it('name only test files that exist, so a renamed suite cannot drop out of both sets', () => {
    for (const f of E2E_SUITES) expect(existsSync(join(ROOT, f)), f).toBe(true);
    expect(new Set(E2E_SUITES).size).toBe(E2E_SUITES.length);
  });

  it('split every test file between npm test and npm run test:e2e, and run all without a set', () => {
    const fast = testFiles('fast');
    const e2e = testFiles('e2e');
    expect(fast.exclude).toEqual([...E2E_SUITES]);
    expect(e2e).toEqual({ include: [...E2E_SUITES], exclude: [] });
    expect(testFiles(undefined)).toEqual({ include: fast.include, exclude: [] });
    expect(() => testFiles('slow')).toThrow(/fast, e2e or all/);
  });
});
