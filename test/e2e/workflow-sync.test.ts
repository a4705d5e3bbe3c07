/**
 * Issue 13, item 4: the CI workflows are derived from the spec, so once a repository has them `envc
 * compile` keeps them in step and `compile --check` fails while they are stale.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

describe('CI workflows follow the spec', () => {
  it('a schedule change makes compile --check fail on the workflow until compile rewrites it', {
    timeout: 300_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'envc-wf-sync-'));
    copyFileSync(DEFAULT_SPEC_PATH, join(dir, 'environments.yaml'));
    expect(envc(['init', '--ci', 'github', '--ci-only', '--branch', 'trunk'], { cwd: dir }).code).toBe(0);
    expect(envc(['compile'], { cwd: dir }).code).toBe(0);
    expect(envc(['compile', '--check'], { cwd: dir }).code).toBe(0);

    const spec = join(dir, 'environments.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('drift: "0 */6 * * *"', 'drift: "0 */2 * * *"'));
    const check = envc(['compile', '--check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('CI workflows are stale');
    expect(check.stderr).toMatch(/changed\s+\.github\/workflows\/envc-drift\.yml/);
    expect(check.stderr.trimEnd().split('\n').at(-1)).toMatch(/^next: run `envc compile`/);

    const compiled = envc(['compile'], { cwd: dir });
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toContain('updated 1 CI workflow: .github/workflows/envc-drift.yml');
    const drift = readFileSync(join(dir, '.github/workflows/envc-drift.yml'), 'utf8');
    expect(drift).toContain('0 */2 * * *');
    // The branch chosen at init is kept.
    expect(readFileSync(join(dir, '.github/workflows/envc-apply.yml'), 'utf8')).toContain(
      'branches: [trunk]',
    );
    expect(envc(['compile', '--check'], { cwd: dir }).code).toBe(0);
  });

  it('a fifth environment: compile --check fails until compile rewrites the workflows, which then apply it', {
    timeout: 300_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'envc-wf-env-'));
    const spec = join(dir, 'environments.yaml');
    copyFileSync(DEFAULT_SPEC_PATH, spec);
    expect(envc(['init', '--ci', 'github', '--ci-only'], { cwd: dir }).code).toBe(0);
    expect(envc(['compile'], { cwd: dir }).code).toBe(0);
    const apply = () => readFileSync(join(dir, '.github/workflows/envc-apply.yml'), 'utf8');
    expect(apply()).not.toContain('"qa"');

    // qa: development's settings under its own zone and egress range, with the service that uses its secrets.
    const doc = parseDocument(readFileSync(spec, 'utf8'));
    const qa = (doc.getIn(['environments', 'development']) as YAMLMap).toJSON();
    qa.network.dns.zone = 'qa.acme.example';
    qa.network.nodeEgress = ['198.51.100.144/28'];
    doc.setIn(['environments', 'qa'], qa);
    const services = doc.get('services') as YAMLSeq<YAMLMap>;
    (services.items.find((s) => s.get('name') === 'sample-service')!.get('environments') as YAMLSeq).add(
      'qa',
    );
    writeFileSync(spec, doc.toString());

    const check = envc(['compile', '--check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('CI workflows are stale');
    expect(check.stderr).toMatch(/changed\s+\.github\/workflows\/envc-apply\.yml/);
    const compiled = envc(['compile'], { cwd: dir });
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(apply()).toMatch(/environment: \[[^\]]*"qa"/);
    expect(envc(['compile', '--check'], { cwd: dir }).code).toBe(0);
  });
});
