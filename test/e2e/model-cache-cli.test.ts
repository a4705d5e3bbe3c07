/**
 * Read-only commands answer from the spec's cached model (src/cli/model-cache.ts) through the real, built
 * CLI: an edit to the spec is seen at once, and a spec that turned invalid is reported, never served stale.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envc, STACK_LINE } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

const dir = mkdtempSync(join(tmpdir(), 'envc-model-cache-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = join(dir, 'environments.yaml');
copyFileSync(DEFAULT_SPEC_PATH, spec);

const status = () => {
  const r = envc(['rotate', '--status', '--json'], { cwd: dir });
  return {
    ...r,
    rows: r.code === 0 ? (JSON.parse(r.stdout).secrets as Array<{ env: string; secret: string }>) : [],
  };
};
const names = (rows: Array<{ env: string; secret: string }>) => rows.map((r) => `${r.env}/${r.secret}`);

describe('read-only commands and the cached model', () => {
  it('rotate --status sees an edit to the spec at once, from the cache or not', () => {
    const first = status();
    expect(first.code, first.stderr).toBe(0);
    expect(names(first.rows)).toContain('staging/app-db');
    expect(readdirSync(join(dir, '.envc', 'cache'))).toHaveLength(1);

    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'environments: [staging, production]\n    usedBy: [sample-service]',
        'environments: [production]\n    usedBy: [sample-service]',
      ),
    );
    const edited = status();
    expect(edited.code, edited.stderr).toBe(0);
    expect(names(edited.rows)).not.toContain('staging/app-db');
    expect(names(edited.rows)).toContain('production/app-db');
  });

  it('a spec that turned invalid is reported by approvals list and rotate --status (exit 1, located)', () => {
    expect(envc(['approvals', 'list'], { cwd: dir }).code).toBe(0);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('rotateEvery: 90d', 'rotateEvery: often'));
    for (const args of [
      ['approvals', 'list'],
      ['rotate', '--status'],
    ]) {
      const r = envc(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/environments\.yaml:\d+:\d+/);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });
});
