/**
 * Issue 13, item 6: each misleading message, through the real CLI. Every refusal or failure ends with a
 * `next:` line; global flags work before the command; unknown flags and environments get a did-you-mean.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { driftNextStep } from '../../src/cli/commands/runner/run-drift.js';
import { FIXTURE_STACKS } from '../../src/runner/test-harness.js';
import { envc, STACK_LINE } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';
import { prepareStoreDir } from '../support/store.js';

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';
const noRepeats = (text: string) => {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(new Set(lines).size).toBe(lines.length);
};

let ws: string;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  ws = mkdtempSync(join(tmpdir(), 'envc-messages-'));
  cpSync(DEFAULT_SPEC_PATH, join(ws, 'environments.yaml'));
  for (const e of ['development', 'production'])
    cpSync(join(FIXTURE_STACKS, e), join(ws, 'stacks', e), { recursive: true });
  const rc = join(ws, 'terraformrc');
  writeFileSync(rc, '');
  await prepareStoreDir(join(ws, 'state'));
  env = {
    ENVC_STORE: join(ws, 'state'),
    TF_CLI_CONFIG_FILE: rc,
    ENVC_ACTOR: undefined,
    SLACK_BOT_TOKEN: undefined,
  };
});

describe('global flags before or after the command', () => {
  it('`envc --no-color validate` is `envc validate --no-color`', () => {
    const before = envc(['--no-color', 'validate'], { cwd: ws, env });
    const after = envc(['validate', '--no-color'], { cwd: ws, env });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^ok environments\.yaml: /);
    expect(before).toEqual(after);
  });
});

describe('unknown flags and environments', () => {
  it('`compile --chek`: did you mean --check, not node’s parser text; ends with next:', () => {
    const r = envc(['compile', '--chek'], { cwd: ws, env });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('envc compile: unknown option --chek — did you mean --check?');
    expect(r.stderr).not.toMatch(/positional argument|ERR_PARSE_ARGS/);
    expect(lastLine(r.stderr)).toBe('next: run `envc compile --help` for details');
  });

  it('`plan --env prod`: did you mean "production"; next: names the flag to use', () => {
    const r = envc(['plan', '--env', 'prod', '--stacks', 'stacks'], { cwd: ws, env });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('no stack for "prod"');
    expect(r.stderr).toContain('did you mean "production"?');
    expect(lastLine(r.stderr)).toBe('next: --env production');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a missing option value is said plainly', () => {
    const r = envc(['plan', '--env'], { cwd: ws, env });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('envc plan: -e, --env <value> needs a value');
  });

  it('an unknown command ends with next:', () => {
    const r = envc(['valdate'], { cwd: ws, env });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('did you mean "validate"?');
    expect(lastLine(r.stderr)).toBe('next: run `envc --help` for the list of commands');
  });
});

describe('misleading messages', () => {
  it('access request without ENVC_ACTOR and without Slack asks for an email, not a Slack profile', () => {
    const r = envc(['access', 'request', 'staging', 'view', '1h', 'debugging'], { cwd: ws, env });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/Slack profile/i);
    expect(r.stderr).toContain('envc does not know your email');
    expect(lastLine(r.stderr)).toMatch(/^next: set ENVC_ACTOR=/);
    noRepeats(r.stderr);
  });

  it('a network failure in `state list` is "cannot reach", exit 5 (not ready), not an internal error', () => {
    const r = envc(
      [
        'state',
        'list',
        '--env',
        'development',
        '--stacks',
        'stacks',
        '--endpoint',
        'http://127.0.0.1:1',
        '--bucket',
        'b',
      ],
      {
        cwd: ws,
        env: { ...env, LINODE_OBJ_ACCESS_KEY: 'AKIATEST', LINODE_OBJ_SECRET_KEY: 'secret-test-value' },
      },
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toContain('cannot reach Object Storage for b (ECONNREFUSED)');
    expect(r.code).toBe(5);
    expect(lastLine(r.stderr)).toMatch(/^next: check the endpoint/);
  });

  it('drift names the next step for each cause', () => {
    const base = { env: 'production', infrastructure: [], unapplied: [], staleFiles: [] };
    expect(driftNextStep({ ...base, staleFiles: ['a.tf'] })).toMatch(/^run `envc compile`/);
    expect(driftNextStep({ ...base, infrastructure: ['linode_lke_cluster.this'] })).toMatch(
      /^run `envc plan --env production` .* `envc apply --env production`/,
    );
    expect(driftNextStep({ ...base, unapplied: ['x'] })).toBe(
      'run `envc apply --env production` to apply what is merged but not yet applied',
    );
  });
});
