/**
 * Issue 13, item 1: the first `envc plan` on the real generated stacks, on a machine without credentials
 * and without the registry, says what is missing — one problem, one fix each, exit 5 — before any
 * `terraform init`; a plugin cache or mirror satisfies the provider check; terraform's own errors, when it
 * does run, are summarized once with --verbose named.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVC_BIN, envc, STACK_LINE } from '../support/cli.js';
import { startFakeS3 } from '../support/s3-server.js';
import { prepareStoreDir } from '../support/store.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROVIDERS = ['hashicorp/helm', 'hashicorp/kubernetes', 'linode/linode'];

let ws: string;
let base: Record<string, string | undefined>;
beforeAll(async () => {
  ws = mkdtempSync(join(tmpdir(), 'envc-preflight-'));
  cpSync(join(ROOT, 'environments.yaml'), join(ws, 'environments.yaml'));
  cpSync(join(ROOT, 'generated'), join(ws, 'generated'), { recursive: true });
  const rc = join(ws, 'terraformrc');
  writeFileSync(rc, '');
  await prepareStoreDir(join(ws, 'state'));
  base = {
    ENVC_STORE: join(ws, 'state'),
    TF_CLI_CONFIG_FILE: rc,
    LINODE_TOKEN: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_PROFILE: undefined,
    LINODE_OBJ_ACCESS_KEY: undefined,
    LINODE_OBJ_SECRET_KEY: undefined,
    TF_PLUGIN_CACHE_DIR: undefined,
    // An operator input of the platform root (ADR 0019): preflight asks for it like a credential.
    TF_VAR_alertmanager_slack_webhook_url: undefined,
  };
});

/** What an operator exports before a plan: the webhook URL Alertmanager posts to (not a secret of this test). */
const OPERATOR_INPUTS = {
  TF_VAR_alertmanager_slack_webhook_url: 'https://hooks.slack.example/services/T0/B0/x',
};

/** A plugin cache laid out as terraform lays one out: <dir>/<host>/<namespace>/<name>/<version>/<os_arch>. */
function pluginCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envc-plugin-cache-'));
  for (const p of PROVIDERS)
    mkdirSync(join(dir, 'registry.terraform.io', p, '0.0.1', 'linux_amd64'), { recursive: true });
  return dir;
}

const problems = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('not ready: '));

describe('preflight before terraform', () => {
  it('no credentials, no registry: every problem with its fix, exit 5, and no terraform init ran', () => {
    const r = envc(['plan', '--env', 'development'], { cwd: ws, env: base });
    expect(r.code).toBe(5);
    const found = problems(r.stderr);
    expect(found.map((l) => l.replace(/:.*$/s, ''))).toHaveLength(5);
    expect(found[0]).toContain('LINODE_TOKEN is not set');
    expect(found[1]).toContain('TF_VAR_alertmanager_slack_webhook_url is not set');
    expect(found[2]).toContain('no Object Storage keys for the state bucket acme-tfstate-development (');
    expect(found[3]).toContain(
      'cannot install providers hashicorp/helm, hashicorp/kubernetes, linode/linode',
    );
    expect(found[4]).toContain(
      "the state bucket's endpoint https://us-ord-1.linodeobjects.com did not answer",
    );
    // Each problem is followed by its fix.
    const lines = r.stderr.trimEnd().split('\n');
    for (const l of found) expect(lines[lines.indexOf(l) + 1]).toMatch(/^ {2}next: /);
    expect(r.stderr).not.toMatch(/internal error|Failed to query|EC2 metadata/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(ws, 'generated/terraform/environments/development/.terraform'))).toBe(false);
  });

  it('credentials and a plugin cache (TF_PLUGIN_CACHE_DIR) clear their problems; --no-backend drops the bucket', () => {
    const env = {
      ...base,
      ...OPERATOR_INPUTS,
      LINODE_TOKEN: 'test-token-not-real',
      AWS_ACCESS_KEY_ID: 'AKIATEST',
      AWS_SECRET_ACCESS_KEY: 'secret-test-value',
      TF_PLUGIN_CACHE_DIR: pluginCache(),
    };
    const withBackend = envc(['plan', '--env', 'development'], { cwd: ws, env });
    expect(withBackend.code).toBe(5);
    expect(problems(withBackend.stderr)).toEqual([
      "not ready: the state bucket's endpoint https://us-ord-1.linodeobjects.com did not answer within 800 ms",
    ]);
    expect(withBackend.stderr).not.toContain('test-token-not-real');
  });

  it("an environment's own state key (ENVC_STATE_*_KEY_<ENV>) clears the state-key problem; another environment's does not", () => {
    // The environment's own key (ENVC_STATE_*_KEY_<ENV>, docs/adr/0017) is enough; another environment's is not.
    const noAws = { ...base, LINODE_TOKEN: 'test-token-not-real', TF_PLUGIN_CACHE_DIR: pluginCache() };
    const own = envc(['plan', '--env', 'development'], {
      cwd: ws,
      env: {
        ...noAws,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        ENVC_STATE_ACCESS_KEY_DEVELOPMENT: 'DEVKEYID',
        ENVC_STATE_SECRET_KEY_DEVELOPMENT: 'dev-secret-test-value',
      },
    });
    expect(problems(own.stderr).filter((l) => l.includes('Object Storage keys'))).toEqual([]);
    const other = envc(['plan', '--env', 'development'], {
      cwd: ws,
      env: {
        ...noAws,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        ENVC_STATE_ACCESS_KEY_PRODUCTION: 'PRODKEYID',
        ENVC_STATE_SECRET_KEY_PRODUCTION: 'prod-secret-test-value',
      },
    });
    expect(problems(other.stderr).filter((l) => l.includes('Object Storage keys'))).toEqual([
      expect.stringContaining('no Object Storage keys for the state bucket acme-tfstate-development'),
    ]);
  });

  it('a filesystem_mirror in the CLI configuration satisfies the provider check too', () => {
    const mirror = pluginCache();
    const rc = join(ws, 'mirror.tfrc');
    writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
    const r = envc(['plan', '--env', 'development', '--no-backend'], {
      cwd: ws,
      env: { ...base, ...OPERATOR_INPUTS, LINODE_TOKEN: 'test-token-not-real', TF_CLI_CONFIG_FILE: rc },
    });
    expect(problems(r.stderr)).toEqual([]);
    // Preflight passed, so terraform ran: the empty mirror has no real provider packages, and terraform's
    // repeated complaint is said once, with --verbose named for the full output.
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/failed development: (cluster root: )?terraform init exited 1: Error: /);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      "next: rerun with --verbose for terraform's full output",
    );
  });

  it('keys but no state bucket yet (before `envc bootstrap`): exit 5, and the next step is bootstrap, not --verbose', async () => {
    // The endpoint answers (preflight passes) but the bucket is not there: real terraform's s3 backend gets
    // NoSuchBucket from a local S3 that follows the REST contract (SigV4 checked).
    const s3 = await startFakeS3({ buckets: ['some-other-bucket'], region: 'us-ord-1' });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'envc-no-bucket-'));
      cpSync(join(ws, 'environments.yaml'), join(dir, 'environments.yaml'));
      cpSync(join(ws, 'generated'), join(dir, 'generated'), { recursive: true });
      const stack = join(dir, 'generated/terraform/environments/development');
      for (const root of readdirSync(stack).filter((d) => existsSync(join(stack, d, 'backend.hcl')))) {
        const hcl = join(stack, root, 'backend.hcl');
        writeFileSync(
          hcl,
          readFileSync(hcl, 'utf8').replace('https://us-ord-1.linodeobjects.com', s3.endpoint),
        );
      }
      await prepareStoreDir(join(dir, 'state'));
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries({
        ...process.env,
        ...base,
        ...OPERATOR_INPUTS,
        ENVC_STORE: join(dir, 'state'),
        LINODE_TOKEN: 'test-token-not-real',
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        TF_PLUGIN_CACHE_DIR: pluginCache(),
        NO_COLOR: '1',
      }))
        if (v !== undefined) env[k] = v;
      // Asynchronously: the local S3 answers from this process.
      const r = await new Promise<{ code: number; stderr: string }>((done) =>
        execFile(
          process.execPath,
          [ENVC_BIN, 'plan', '--env', 'development'],
          { cwd: dir, env },
          (err, _o, stderr) => done({ code: err ? Number(err.code) : 0, stderr }),
        ),
      );
      expect(problems(r.stderr)).toEqual([]);
      expect(
        s3.log.some((l) => l.startsWith('GET /acme-tfstate-development?list-type=2') && l.endsWith('404')),
      ).toBe(true);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('S3 bucket "acme-tfstate-development" does not exist');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(
        '  next: the state bucket acme-tfstate-development does not exist yet: run `npx envc bootstrap` first (it creates every state bucket and its key), then run this again',
      );
      expect(r.stderr).not.toContain('--verbose');
      expect(r.stderr).not.toContain(s3.secretAccessKey);
      expect(r.stderr).not.toMatch(STACK_LINE);
    } finally {
      await s3.close();
    }
  });
});
