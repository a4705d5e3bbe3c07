/**
 * `envc bootstrap` with the real terraform binary on a stand-in bootstrap root (terraform_data; the target
 * backend is a local file standing in for the bucket): local state first, then migrated into the backend the
 * root describes, with the runner's new key in the environment of the migration; idempotent afterwards.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.js';
import { createTerraform, type Terraform } from './terraform.js';
import { terraformEnv, terraformSkipReason } from './test-harness.js';

function standIn(root: string): { generated: string; target: string } {
  const generated = join(root, 'generated');
  const dir = join(generated, 'terraform', 'bootstrap');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(generated, 'terraform', 'modules', 'state-backend'), { recursive: true });
  writeFileSync(join(generated, 'terraform', 'modules', 'state-backend', 'main.tf'), '');
  const target = join(root, 'bucket', 'envc', 'bootstrap', 'terraform.tfstate');
  mkdirSync(join(root, 'bucket', 'envc', 'bootstrap'), { recursive: true });
  // The real root declares backend "s3" {}; this one a local backend whose path plays the bucket's key.
  writeFileSync(
    join(dir, 'main.tf'),
    `terraform {\n  backend "local" {}\n}\n\nresource "terraform_data" "bucket" {\n  input = "acme-tfstate"\n}\n\noutput "bootstrap_state_credentials" {\n  value     = { access_key_id = "KEYID-\${terraform_data.bucket.id}", secret_key = "not-a-real-secret" }\n  sensitive = true\n}\n`,
  );
  writeFileSync(join(dir, 'backend.hcl'), `path = "${target}"\n`);
  return { generated, target };
}

function recording(tf: Terraform) {
  const calls: Array<{ args: string[]; env: Record<string, string> }> = [];
  const wrapped: Terraform = {
    bin: tf.bin,
    version: () => tf.version(),
    run: (args, o) => {
      calls.push({ args, env: o.env ?? {} });
      return tf.run(args, o);
    },
  };
  return { calls, wrapped };
}

describe.skipIf(terraformSkipReason())('envc bootstrap (state bucket on a fresh account)', () => {
  it('asks before creating, then applies with local state, migrates into the backend, and is a no-op after', async () => {
    const root = mkdtempSync(join(tmpdir(), 'envc-bootstrap-'));
    const { generated, target } = standIn(root);
    const { calls, wrapped } = recording(createTerraform({ env: { ...process.env, ...terraformEnv() } }));
    const deps = {
      terraform: wrapped,
      generatedDir: generated,
      workDir: join(root, '.envc'),
      progress: () => {},
    };

    const asked = await bootstrap({ ...deps, apply: false });
    expect(asked.status).toBe('needs-confirmation');
    expect(existsSync(target)).toBe(false);

    const first = await bootstrap({ ...deps, apply: true });
    expect(first).toMatchObject({ status: 'bootstrapped', migrated: true });
    const state = JSON.parse(readFileSync(target, 'utf8'));
    expect(state.resources.map((r: { type: string }) => r.type)).toEqual(['terraform_data']);
    // The migration ran with the runner's new key in the environment, and nothing else got it.
    const migrate = calls.find((c) => c.args.includes('-migrate-state'))!;
    expect(migrate.env.AWS_ACCESS_KEY_ID).toMatch(/^KEYID-/);
    expect(calls.filter((c) => c.env.AWS_SECRET_ACCESS_KEY)).toHaveLength(1);
    // No local state is left behind, and generated/ was not written to.
    const work = first.workdir;
    expect(existsSync(join(work, 'bootstrap.local.tfstate'))).toBe(false);
    expect(existsSync(join(work, 'backend_override.tf'))).toBe(false);
    expect(existsSync(join(generated, 'terraform', 'bootstrap', '.terraform'))).toBe(false);

    const second = await bootstrap({ ...deps, apply: true });
    expect(second.status).toBe('up-to-date');
    expect(JSON.parse(readFileSync(target, 'utf8')).serial).toBe(state.serial);
  }, 180_000);

  it('resumes at the migration when a first run stopped after the local apply', async () => {
    const root = mkdtempSync(join(tmpdir(), 'envc-bootstrap-'));
    const { generated, target } = standIn(root);
    const tf = createTerraform({ env: { ...process.env, ...terraformEnv() } });
    // The migration fails once (the backend is not writable yet): the local state must survive it.
    const failing: Terraform = {
      ...tf,
      run: (args, o) =>
        args.includes('-migrate-state')
          ? Promise.resolve({ exitCode: 1, stdout: '', stderr: 'Error: bucket not reachable', durationMs: 1 })
          : tf.run(args, o),
    };
    const deps = { generatedDir: generated, workDir: join(root, '.envc'), progress: () => {}, apply: true };
    const broken = await bootstrap({ ...deps, terraform: failing });
    expect(broken).toMatchObject({ status: 'failed', step: 'init -migrate-state' });
    expect(existsSync(join(broken.workdir, 'bootstrap.local.tfstate'))).toBe(true);
    const resumed = await bootstrap({ ...deps, terraform: tf });
    expect(resumed.status).toBe('bootstrapped');
    expect(JSON.parse(readFileSync(target, 'utf8')).resources).toHaveLength(1);
  }, 180_000);
});
