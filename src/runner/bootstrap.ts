/**
 * `envc bootstrap`: the state bucket on a fresh account (docs/adr/0008). The bootstrap root declares
 * `backend "s3" {}` for a bucket it creates itself, so the first run:
 *   1. works in a copy of generated/terraform/{bootstrap,modules} under the work directory (generated/ stays
 *      untouched), with a `backend_override.tf` that puts the state in a local file;
 *   2. applies (creates the bucket and the scoped keys);
 *   3. removes the override and runs `terraform init -migrate-state -force-copy -backend-config=backend.hcl`,
 *      with the bootstrap bucket's key (output bootstrap_state_credentials) in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY;
 *   4. deletes the local state once it is in the bucket.
 * Idempotent: a later run finds the state in the backend and only plans (nothing to do unless the spec
 * changed); a run that stopped after 2 resumes at 3. No secret is returned or printed.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Terraform } from './terraform.js';

export interface BootstrapDeps {
  terraform: Terraform;
  /** generated/ (holds terraform/bootstrap and terraform/modules). */
  generatedDir: string;
  /** The runner's work directory (.envc). */
  workDir: string;
  progress(line: string): void;
  /** Apply when there is something to create or change (else only report the plan). */
  apply: boolean;
  signal?: AbortSignal;
}

export type BootstrapOutcome =
  | { status: 'up-to-date'; workdir: string }
  | { status: 'bootstrapped' | 'applied'; workdir: string; migrated: boolean }
  | { status: 'needs-confirmation'; workdir: string; changes: boolean; message: string }
  | { status: 'failed'; workdir: string; step: string; message: string };

const OVERRIDE = 'backend_override.tf';
const LOCAL_STATE = 'bootstrap.local.tfstate';

/** Refreshes the work copy's configuration; keeps .terraform and any local state. */
function workCopy(generatedDir: string, workDir: string): string {
  const base = join(workDir, 'bootstrap');
  for (const part of ['bootstrap', 'modules']) {
    const to = join(base, part);
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(to))
      if (!f.startsWith('.') && f !== LOCAL_STATE && !f.startsWith(`${LOCAL_STATE}.`))
        rmSync(join(to, f), { recursive: true, force: true });
    cpSync(join(generatedDir, 'terraform', part), to, { recursive: true });
  }
  return join(base, 'bootstrap');
}

function hasResources(stateFile: string): boolean {
  if (!existsSync(stateFile)) return false;
  const s = JSON.parse(readFileSync(stateFile, 'utf8')) as { resources?: unknown[] };
  return (s.resources ?? []).length > 0;
}

export async function bootstrap(deps: BootstrapDeps): Promise<BootstrapOutcome> {
  if (!existsSync(join(deps.generatedDir, 'terraform', 'bootstrap')))
    return {
      status: 'failed',
      workdir: deps.generatedDir,
      step: 'locate',
      message: `no terraform/bootstrap under ${deps.generatedDir}: run envc compile`,
    };
  const dir = workCopy(deps.generatedDir, deps.workDir);
  const run = (args: string[], env?: Record<string, string>) =>
    deps.terraform.run(args, {
      cwd: dir,
      ...(env ? { env } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  const fail = (step: string, r: { stderr: string; stdout: string }): BootstrapOutcome => ({
    status: 'failed',
    workdir: dir,
    step,
    message: (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-6).join('\n'),
  });
  const backend = existsSync(join(dir, 'backend.hcl')) ? ['-backend-config=backend.hcl'] : [];
  const localState = join(dir, LOCAL_STATE);

  // Already in its backend? Then this is an ordinary plan (and apply when asked) of the bootstrap root.
  if (!hasResources(localState)) {
    rmSync(join(dir, OVERRIDE), { force: true });
    deps.progress('checking the state backend');
    const init = await run(['init', '-input=false', '-no-color', '-reconfigure', ...backend]);
    if (init.exitCode === 0) {
      const list = await run(['state', 'list', '-no-color']);
      if (list.exitCode === 0 && list.stdout.trim() !== '') {
        const plan = await run([
          'plan',
          '-input=false',
          '-no-color',
          '-detailed-exitcode',
          '-out=bootstrap.tfplan',
        ]);
        if (plan.exitCode === 0) return { status: 'up-to-date', workdir: dir };
        if (plan.exitCode !== 2) return fail('plan', plan);
        if (!deps.apply)
          return {
            status: 'needs-confirmation',
            workdir: dir,
            changes: true,
            message: 'the state backend exists and its configuration changed',
          };
        const a = await run(['apply', '-input=false', '-no-color', 'bootstrap.tfplan']);
        return a.exitCode === 0 ? { status: 'applied', workdir: dir, migrated: false } : fail('apply', a);
      }
    }
    // Fresh account: local state first.
    writeFileSync(
      join(dir, OVERRIDE),
      `# written by envc bootstrap: local state until the bucket exists\nterraform {\n  backend "local" {\n    path = "${LOCAL_STATE}"\n  }\n}\n`,
    );
    deps.progress('initialising with local state');
    const localInit = await run(['init', '-input=false', '-no-color', '-reconfigure']);
    if (localInit.exitCode !== 0) return fail('init (local state)', localInit);
    if (!deps.apply)
      return {
        status: 'needs-confirmation',
        workdir: dir,
        changes: true,
        message: 'the state bucket does not exist yet: bootstrap creates it and the scoped keys',
      };
    deps.progress('creating the state bucket and its keys (local state)');
    const a = await run(['apply', '-input=false', '-no-color', '-auto-approve']);
    if (a.exitCode !== 0) return fail('apply (local state)', a);
  } else deps.progress('resuming: the local state is not migrated yet');

  // The bootstrap bucket's key, to write the migrated state with (never printed).
  if (!existsSync(join(dir, OVERRIDE)))
    writeFileSync(
      join(dir, OVERRIDE),
      `terraform {\n  backend "local" {\n    path = "${LOCAL_STATE}"\n  }\n}\n`,
    );
  await run(['init', '-input=false', '-no-color', '-reconfigure']);
  const creds = await run(['output', '-json', '-no-color', 'bootstrap_state_credentials']);
  const env: Record<string, string> = {};
  if (creds.exitCode === 0) {
    const c = JSON.parse(creds.stdout) as { access_key_id?: string; secret_key?: string } | null;
    if (c?.access_key_id && c.secret_key) {
      env.AWS_ACCESS_KEY_ID = c.access_key_id;
      env.AWS_SECRET_ACCESS_KEY = c.secret_key;
    }
  }
  rmSync(join(dir, OVERRIDE), { force: true });
  deps.progress('migrating the state into the bucket');
  const m = await run(
    ['init', '-input=false', '-no-color', '-migrate-state', '-force-copy', ...backend],
    env,
  );
  if (m.exitCode !== 0) return fail('init -migrate-state', m);
  for (const f of readdirSync(dir)) if (f.startsWith(LOCAL_STATE)) rmSync(join(dir, f), { force: true });
  return { status: 'bootstrapped', workdir: dir, migrated: true };
}
