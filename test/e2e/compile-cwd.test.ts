import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

/**
 * The tree does not depend on the directory envc runs from: manifest.json records the spec relative to the
 * output's parent, so compiling from elsewhere gives the same bytes and `compile --check` from elsewhere
 * calls a fresh tree fresh (the campaign's determinism defect).
 */
describe('compile from another directory', () => {
  it('writes the same manifest.json, and --check from elsewhere passes', () => {
    const repo = mkdtempSync(join(tmpdir(), 'envc-cwd-'));
    const elsewhere = join(repo, 'deep', 'down');
    mkdirSync(elsewhere, { recursive: true });
    copyFileSync(DEFAULT_SPEC_PATH, join(repo, 'environments.yaml'));
    expect(envc(['compile'], { cwd: repo }).code).toBe(0);
    const manifest = readFileSync(join(repo, 'generated', 'manifest.json'), 'utf8');
    expect(JSON.parse(manifest).source.file).toBe('environments.yaml');
    const check = envc(['compile', '--check', join(repo, 'environments.yaml')], { cwd: elsewhere });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(envc(['compile', '../../environments.yaml'], { cwd: elsewhere }).code).toBe(0);
    expect(readFileSync(join(repo, 'generated', 'manifest.json'), 'utf8')).toBe(manifest);
  }, 120_000);
});
