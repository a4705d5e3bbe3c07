import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { envc, STACK_LINE } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';
import { treeHashes } from '../support/tree.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envc-cli-'));
  copyFileSync(DEFAULT_SPEC_PATH, join(dir, 'environments.yaml'));
  return dir;
}

describe('envc compile on the default spec', () => {
  let dir: string;
  let first: Record<string, string>;
  beforeAll(() => {
    dir = workspace();
    const r = envc(['compile'], { cwd: dir });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^compiled environments\.yaml → generated\/ \(\d+ files: /);
    first = treeHashes(join(dir, 'generated'));
  });

  it('writes a manifest that lists every file with its sha256', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'generated', 'manifest.json'), 'utf8'));
    expect(manifest.source.file).toBe('environments.yaml');
    expect(manifest.source.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(dir, 'environments.yaml')))
        .digest('hex'),
    );
    const listed = Object.keys(manifest.files).sort();
    const onDisk = Object.keys(first)
      .filter((p) => p !== 'manifest.json')
      .sort();
    expect(listed).toEqual(onDisk);
    for (const p of listed) expect(manifest.files[p].sha256).toBe(first[p]);
  });

  it('changes no byte when run again, and --check passes', () => {
    const again = envc(['compile'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged');
    expect(treeHashes(join(dir, 'generated'))).toEqual(first);
    const check = envc(['compile', '--check'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('generated/ is up to date');
  });

  /** A copy of the compiled workspace (spec + generated/): one compile serves every test of this block. */
  function compiledCopy(): string {
    const d = mkdtempSync(join(tmpdir(), 'envc-cli-'));
    cpSync(dir, d, { recursive: true });
    expect(treeHashes(join(d, 'generated'))).toEqual(first);
    return d;
  }

  it('fails --check after a one-field edit, naming the stale files, and diff shows the change', () => {
    const d = compiledCopy();
    const spec = readFileSync(join(d, 'environments.yaml'), 'utf8');
    writeFileSync(join(d, 'environments.yaml'), spec.replace('retention: 15d', 'retention: 20d'));
    const check = envc(['compile', '--check'], { cwd: d });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('generated/ is stale');
    expect(check.stderr).toMatch(/changed\s+generated\/manifest\.json/);
    const json = JSON.parse(envc(['compile', '--check', '--json'], { cwd: d }).stdout);
    expect(json.ok).toBe(false);
    expect(json.stale.map((s: { path: string }) => s.path)).toContain('manifest.json');
    // Nothing under the production or development trees may change for a staging-only edit.
    expect(json.stale.filter((s: { path: string }) => /(production|development)/.test(s.path))).toEqual([]);
    const diff = envc(['diff'], { cwd: d });
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain('--- a/generated/manifest.json');
    const stat = envc(['diff', '--stat'], { cwd: d });
    expect(stat.stdout).toMatch(/^changed\s+generated\/manifest\.json$/m);
  });

  it('writes nothing when the spec has errors', () => {
    const d = compiledCopy();
    const before = treeHashes(join(d, 'generated'));
    const spec = readFileSync(join(d, 'environments.yaml'), 'utf8');
    writeFileSync(join(d, 'environments.yaml'), spec.replace('    health: /healthz', '    helth: /healthz'));
    const r = envc(['compile'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[ENVC1001\]: unknown key "helth" in services\[0\]/);
    expect(r.stderr).toMatch(/--> environments\.yaml:\d+:5/);
    expect(r.stderr).toContain('did you mean "health"?');
    expect(treeHashes(join(d, 'generated'))).toEqual(before);
  });
});

describe('envc validate: bad input gets a located error, never a stack trace', () => {
  it('a missing file', () => {
    const r = envc(['validate', 'nope.yaml'], { cwd: tmpdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ENVC0008]: cannot find "nope.yaml"');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
  it('a directory', () => {
    const r = envc(['validate', '.'], { cwd: tmpdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ENVC0007');
  });
  it('a 50 MB file', () => {
    const d = mkdtempSync(join(tmpdir(), 'envc-big-'));
    writeFileSync(join(d, 'big.yaml'), `a: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const r = envc(['validate', 'big.yaml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ENVC0003]: file is 50.0 MB');
  });
  it('json and sarif formats are data on stdout', () => {
    const d = workspace();
    const spec = readFileSync(join(d, 'environments.yaml'), 'utf8');
    writeFileSync(join(d, 'environments.yaml'), spec.replace('retention: 15d', 'retention: 15days'));
    const json = envc(['validate', '--format', 'json'], { cwd: d });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.diagnostics[0]).toMatchObject({
      code: 'ENVC1005',
      file: 'environments.yaml',
      severity: 'error',
    });
    const sarif = JSON.parse(envc(['validate', '--format', 'sarif'], { cwd: d }).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(
      parsed.diagnostics[0].line,
    );
  });
});

describe('envc CLI basics', () => {
  it('--version prints the package version', () => {
    const r = envc(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
  it('an unknown command is a usage error with a suggestion', () => {
    const r = envc(['compiel']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown command "compiel" — did you mean "compile"?');
  });
  it('an unknown flag is a usage error naming the command usage', () => {
    const r = envc(['compile', '--chek']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown option --chek — did you mean --check?');
    expect(r.stderr).toContain('usage: envc compile');
  });
  it('every command has --help with the exit code table', () => {
    for (const cmd of ['validate', 'compile', 'diff', 'schema']) {
      const r = envc([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: envc ${cmd}`);
      expect(r.stdout).toContain('64  unknown command or flag');
    }
  });
  it('colour only when asked and never with NO_COLOR', () => {
    const d = workspace();
    writeFileSync(join(d, 'environments.yaml'), 'apiVersion: envc/v1\nplatform: x\n');
    const coloured = envc(['validate'], { cwd: d, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stderr).toContain('\u001b[31m');
    const plain = envc(['validate'], { cwd: d, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stderr).not.toContain('\u001b[');
    expect(statSync(join(d, 'environments.yaml')).size).toBeGreaterThan(0);
  });
  it('schema prints the JSON Schema', () => {
    const r = envc(['schema']);
    expect(JSON.parse(r.stdout).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('secrets from the environment never reach the terminal', () => {
  it('a token that appears in an error message is redacted', () => {
    const token = 'xoxb-1111-2222-supersecretvalue';
    // The spec path is the token: the "cannot find" message would echo it.
    const r = envc(['validate', token], { cwd: tmpdir(), env: { SLACK_BOT_TOKEN: token } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[REDACTED]');
    expect(r.stderr).not.toContain('supersecretvalue');
  });
});
