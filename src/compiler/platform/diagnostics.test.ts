import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_CODES } from './config-checks.js';
import { CODES } from './diagnostics.js';

const docs = join(import.meta.dirname, '../../../docs');

describe('platform diagnostic codes', () => {
  const codes = [...Object.values(CODES), ...Object.values(CONFIG_CODES)];
  it.each(codes)('%s has a docs/rules page and a row in docs/errors.md', (code) => {
    const page = join(docs, 'rules', `${code}.md`);
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# ${code}: `));
    expect(readFileSync(join(docs, 'errors.md'), 'utf8')).toContain(`[${code}](rules/${code}.md)`);
  });
  it('codes are unique and in the platform ranges', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^ENVC2[56]\d\d$/);
  });
});
