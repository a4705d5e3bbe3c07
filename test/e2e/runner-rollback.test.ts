/**
 * envc rollback --to <git-ref> end to end: a temporary git repository holding the stacks, two commits,
 * the later one applied; rollback plans the earlier configuration against the current state and applies it —
 * directly where ungated, through the approval gate where the spec requires approvals.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';
import { ciAs, startIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { approveArgs, onStack } from '../support/run-args.js';

const skip = terraformSkipReason();

function git(dir: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=envc test',
      '-c',
      'user.email=test@envc.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd: dir, encoding: 'utf8' },
  ).trim();
}

type Res = {
  name: string;
  instances: Array<{ attributes: { input: { value: { pools?: Array<{ count: number }> } } } }>;
};

describe.skipIf(skip)('envc rollback (e2e)', () => {
  let ws: Workspace;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer?.close());
  let first: string;

  const nodes = (env: string) =>
    ((ws.state(env)?.resources ?? []) as unknown as Res[]).find((r) => r.name === 'cluster')?.instances[0]
      ?.attributes.input.value.pools?.[0]?.count;
  const names = (env: string) => (ws.state(env)?.resources ?? []).map((r) => r.name).sort();

  beforeAll(async () => {
    ws = await workspace({ envs: ['development', 'production'] });
    writeFileSync(
      join(ws.dir, '.gitignore'),
      '.envc/\n.terraform/\n*.tfstate\n*.tfstate.*\n.terraform.lock.hcl\n',
    );
    git(ws.dir, 'init', '-q', '-b', 'main');
    git(ws.dir, 'add', '.');
    git(ws.dir, 'commit', '-q', '-m', 'first');
    first = git(ws.dir, 'rev-parse', 'HEAD');
    git(ws.dir, 'tag', 'v1');
    for (const env of ['development', 'production']) {
      const main = join(ws.stacksDir, env, 'main.tf');
      writeFileSync(main, readFileSync(main, 'utf8').replace(/default = \d+/, 'default = 7'));
      writeFileSync(
        join(ws.stacksDir, env, 'cache.tf'),
        'resource "terraform_data" "cache" {\n  input = "redis"\n}\n',
      );
    }
    git(ws.dir, 'add', '.');
    git(ws.dir, 'commit', '-q', '-m', 'bigger, with a cache');
    expect((await ws.envc(['plan', '--all', '--stacks', 'stacks'])).code).toBe(2);
    expect((await ws.envc(['apply', '--env', 'development', '--stacks', 'stacks'])).code).toBe(0);
    const d = JSON.parse(
      (await ws.envc(['plan', '--env', 'production', '--stacks', 'stacks', '--json'])).stdout,
    ).environments[0].digest;
    expect((await ws.envc(onStack('apply', 'production', '--as', 'UREQ'))).code).toBe(4);
    expect((await ws.envc(approveArgs('production', d), await ciAs(issuer, 'lead-one'))).code).toBe(0);
    expect((await ws.envc(onStack('apply', 'production', '--as', 'UREQ'))).code).toBe(0);
    expect(nodes('production')).toBe(7);
    expect(names('development')).toEqual(['cache', 'cluster', 'dns_zone', 'firewall']);
  });

  it('refuses a ref that names no commit', async () => {
    const r = await ws.envc(onStack('rollback', 'development', '--to', 'no-such-ref'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"no-such-ref" is not a commit');
  });

  it('rolls an ungated environment back to the tag: the later resource is destroyed, the cluster shrinks', async () => {
    const r = await ws.envc(onStack('rollback', 'development', '--to', 'v1', '--json'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      status: 'ok',
      commit: first,
      plan: { kind: 'rollback', summary: { counts: { add: 0, change: 1, destroy: 1 } } },
    });
    expect(names('development')).toEqual(['cluster', 'dns_zone', 'firewall']);
    expect(nodes('development')).toBe(3);
    // The working tree was not touched: rollback planned a copy of the old stack against the live state.
    expect(readFileSync(join(ws.stacksDir, 'development', 'main.tf'), 'utf8')).toContain('default = 7');
    // And a normal plan of the current tree now shows the way back up.
    const plan = await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks', '--json']);
    expect(JSON.parse(plan.stdout).environments[0].counts).toMatchObject({ add: 1, change: 1 });
  });

  it('rolls production back only through the approval gate', async () => {
    const r = await ws.envc(onStack('rollback', 'production', '--to', first.slice(0, 10), '--as', 'UREQ'));
    expect(r.code).toBe(4);
    const m =
      /from CI: envc approvals approve --env production --digest ([0-9a-f]{64}) with an OIDC token/.exec(
        r.stderr,
      );
    expect(m).not.toBeNull();
    expect(nodes('production')).toBe(7);
    expect((await ws.envc(approveArgs('production', m![1]!), await ciAs(issuer, 'lead-two'))).code).toBe(0);
    const applied = await ws.envc(onStack('apply', 'production', '--as', 'UREQ', '--json'));
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout).environments[0]).toMatchObject({
      kind: 'rollback',
      digest: m![1],
      approvedBy: ['ULEAD2'],
    });
    expect(nodes('production')).toBe(4); // the production fixture's node_count at v1
    expect(names('production')).toEqual(['cluster', 'dns_zone', 'firewall']);
  });
});
