import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envc, STACK_LINE } from '../support/cli.js';

const STARTER = readFileSync(new URL('../../templates/init/environments.yaml', import.meta.url), 'utf8');
const empty = () => mkdtempSync(join(tmpdir(), 'envc-init-'));

describe('envc init', () => {
  it('scaffolds the starter spec, which validates and compiles', () => {
    const dir = empty();
    const r = envc(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote environments.yaml');
    expect(readFileSync(join(dir, 'environments.yaml'), 'utf8')).toBe(STARTER);
    expect(existsSync(join(dir, '.github'))).toBe(false);
    const v = envc(['validate'], { cwd: dir });
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(envc(['compile'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, 'generated', 'handoff')).sort()).toContain('production.json');
  });

  it('refuses to overwrite an existing spec and writes nothing, then --force replaces it', () => {
    const dir = empty();
    writeFileSync(join(dir, 'environments.yaml'), 'platform: mine\n');
    const r = envc(['init', '--ci', 'github'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refusing to overwrite existing files (nothing was written)');
    expect(r.stderr).toContain('  environments.yaml');
    expect(r.stderr).toContain('--ci-only');
    expect(readFileSync(join(dir, 'environments.yaml'), 'utf8')).toBe('platform: mine\n');
    expect(existsSync(join(dir, '.github'))).toBe(false);
    const forced = envc(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'environments.yaml'), 'utf8')).toBe(STARTER);
  });

  it('--ci github writes the seven workflows next to the spec', () => {
    const dir = empty();
    const r = envc(['init', '--ci', 'github'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, '.github', 'workflows')).sort()).toEqual([
      'envc-apply.yml',
      'envc-drift.yml',
      'envc-pr.yml',
      'envc-probe.yml',
      'envc-rollback-drill.yml',
      'envc-rotation.yml',
      'envc-state-backup.yml',
    ]);
    expect(r.stdout).toContain('ENVC_STORE');
  });

  it('--ci-only keeps the spec, derives the workflows from it, and refuses existing workflows', () => {
    const dir = empty();
    envc(['init'], { cwd: dir });
    // An edited spec: the drift schedule must show up in the workflow.
    writeFileSync(
      join(dir, 'environments.yaml'),
      STARTER.replace('drift: "0 */6 * * *"', 'drift: "15 */4 * * *"'),
    );
    const r = envc(['init', '--ci', 'github', '--ci-only'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('wrote environments.yaml');
    expect(readFileSync(join(dir, '.github/workflows/envc-drift.yml'), 'utf8')).toContain(
      '- cron: "15 */4 * * *"',
    );
    const again = envc(['init', '--ci', 'github', '--ci-only'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('.github/workflows/envc-pr.yml');
    expect(envc(['init', '--ci', 'github', '--ci-only', '--force'], { cwd: dir }).code).toBe(0);
  });

  it('--ci-only with an invalid spec prints its diagnostics and writes no workflow', () => {
    const dir = empty();
    writeFileSync(join(dir, 'environments.yaml'), STARTER.replace('tier: production', 'tier: prod'));
    const r = envc(['init', '--ci', 'github', '--ci-only'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[ENVC1\d{3}\]/);
    expect(r.stderr).toContain('environments.yaml:');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, '.github'))).toBe(false);
  });

  it('usage errors exit 64', () => {
    const dir = empty();
    expect(envc(['init', '--ci', 'gitlab'], { cwd: dir }).code).toBe(64);
    expect(envc(['init', '--ci-only'], { cwd: dir }).code).toBe(64);
    const missing = envc(['init', '--ci', 'github', '--ci-only'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('needs an existing environments.yaml');
  });

  it('--dir scaffolds elsewhere', () => {
    const dir = empty();
    mkdirSync(join(dir, 'platform'));
    expect(envc(['init', '--dir', 'platform'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'platform', 'environments.yaml'))).toBe(true);
  });
});
