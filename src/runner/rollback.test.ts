/**
 * Rollback in spec mode: `environments.yaml` at an older commit, compiled (here by a stand-in compiler that
 * emits terraform_data stacks, since the real one emits Linode resources that cannot init offline) into a
 * temporary tree whose generated Kubernetes files count in the digest, planned against the live state.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './apply.js';
import { planEnv } from './plan.js';
import { type RollbackSource, rollbackEnv } from './rollback.js';
import { type Harness, harness, terraformSkipReason } from './test-harness.js';

const skip = terraformSkipReason();
const git = (cwd: string, ...a: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@envc.invalid', '-c', 'commit.gpgsign=false', ...a],
    { cwd, encoding: 'utf8' },
  ).trim();

/** "nodes: N" → a stack with N in the cluster, and a namespace manifest naming N. */
const compile: Extract<RollbackSource, { kind: 'spec' }>['compile'] = async (text) => {
  const nodes = /nodes: (\d+)/.exec(text)?.[1];
  if (!nodes) return { files: [], errors: ['environments.yaml:1:1 error ENVC1001 nodes is required'] };
  return {
    errors: [],
    files: [
      {
        path: 'terraform/environments/development/main.tf',
        content: `terraform {\n  backend "local" {}\n}\n\nresource "terraform_data" "cluster" {\n  input = { nodes = ${nodes} }\n}\n`,
      },
      { path: 'kubernetes/development/namespace.yaml', content: `kind: Namespace # ${nodes}\n` },
    ],
  };
};

describe.skipIf(skip)('rollback from the spec at a git ref', () => {
  let h: Harness;
  let old: string;
  beforeAll(async () => {
    h = await harness(['development']);
    // The live stack: what the current spec compiles to, applied.
    writeFileSync(
      join(h.stacksDir, 'development', 'main.tf'),
      (await compile('nodes: 9', ''))!.files[0]!.content,
    );
    writeFileSync(join(h.root, 'environments.yaml'), 'nodes: 3\n');
    git(h.root, 'init', '-q');
    git(h.root, 'add', 'environments.yaml');
    git(h.root, 'commit', '-q', '-m', 'three');
    old = git(h.root, 'rev-parse', 'HEAD');
    writeFileSync(join(h.root, 'environments.yaml'), 'nodes: 9\n');
    git(h.root, 'commit', '-q', '-am', 'nine');
    const deps = h.deps('ci');
    expect((await planEnv(deps, 'development')).status).toBe('ok');
    expect((await applyEnv(deps, 'development')).status).toBe('ok');
  });
  afterAll(async () => h?.close());

  const source = (): RollbackSource => ({
    kind: 'spec',
    specPath: join(h.root, 'environments.yaml'),
    compile,
  });

  it('plans the old spec against the current state, covering its generated files, and applies it', async () => {
    const head = git(h.root, 'rev-parse', 'HEAD');
    const r = await rollbackEnv(h.deps('ci', { revision: async () => head }), 'development', {
      ref: 'HEAD~1',
      source: source(),
    });
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    expect(r.value.commit).toBe(old);
    expect(r.value.plan.summary.resources).toEqual([
      expect.objectContaining({ address: 'terraform_data.cluster', action: 'update' }),
    ]);
    expect(r.value.plan.record.summary).toMatchObject({ kind: 'rollback', ref: 'HEAD~1', commit: old });
    // ArgoCD follows a rollback to the commit rolled back to, not to today's HEAD.
    expect(r.value.plan.record.revision).toBe(old);
    expect((await h.store.getPlanByDigest('development', r.value.plan.digest))?.revision).toBe(old);
    expect(r.value.plan.workdir).toContain(join('.envc', 'rollback'));
    expect(r.value.applied?.kind).toBe('rollback');
    const state = JSON.parse(readFileSync(join(h.stacksDir, 'development', 'terraform.tfstate'), 'utf8'));
    expect(state.resources[0].instances[0].attributes.input.value.nodes).toBe(3);
    // The digest covers the old spec's generated Kubernetes files (in the rollback tree), not today's generated/.
    expect(r.value.plan.record.summary.generatedDir).toContain(join('.envc', 'rollback'));
  });

  it('refuses a spec that does not compile at that ref, saying why', async () => {
    writeFileSync(join(h.root, 'environments.yaml'), 'broken\n');
    git(h.root, 'commit', '-q', '-am', 'broken');
    const r = await rollbackEnv(h.deps('ci'), 'development', { ref: 'HEAD', source: source() });
    expect(r).toMatchObject({
      status: 'refused',
      code: 'ENVC4013',
      message: expect.stringContaining('does not compile: environments.yaml:1:1 error ENVC1001'),
    });
  });
});
