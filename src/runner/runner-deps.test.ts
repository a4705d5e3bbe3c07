import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import type { Store } from '../store/types.js';
import { createRunnerDeps, type RunnerDepsOptions, runnerPaths } from './runner-deps.js';

/** The one RunnerDeps builder the CLI and the bot share (see cli/wiring.ts and src/bot/runner-adapter.ts). */
const git = (cwd: string, ...a: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@envc.invalid', '-c', 'commit.gpgsign=false', ...a],
    { cwd, encoding: 'utf8' },
  ).trim();

describe('runnerPaths', () => {
  it('puts stacks and generated/ beside the spec; --stacks drops generated/ unless --generated names one', () => {
    expect(runnerPaths({ cwd: '/w', specPath: 'conf/environments.yaml' })).toEqual({
      specDir: '/w/conf',
      stacksDir: '/w/conf/generated/terraform/environments',
      generatedDir: '/w/conf/generated',
      workDir: '/w/.envc',
    });
    expect(runnerPaths({ cwd: '/w', specPath: '/s/environments.yaml', stacks: 'st' })).toEqual({
      specDir: '/s',
      stacksDir: '/w/st',
      workDir: '/w/.envc',
    });
    expect(
      runnerPaths({ cwd: '/w', specPath: '/s/e.yaml', stacks: '/st', generated: 'gen' }).generatedDir,
    ).toBe('/w/gen');
  });
});

describe('createRunnerDeps', () => {
  let repo: string;
  let head: string;
  const store = {} as Store;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'envc-deps-'));
    writeFileSync(join(repo, 'environments.yaml'), 'x: 1\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'spec');
    head = git(repo, 'rev-parse', 'HEAD');
  });

  const options = (o: Partial<RunnerDepsOptions> & { env?: NodeJS.ProcessEnv } = {}): RunnerDepsOptions => ({
    store,
    env: {},
    cwd: repo,
    paths: runnerPaths({ cwd: repo, specPath: 'environments.yaml' }),
    specPath: join(repo, 'environments.yaml'),
    actor: 'ci:test',
    notifiers: [],
    onNotifierError: () => {},
    backend: false,
    lockWaitMs: 0,
    approvalWaitMs: 0,
    progress: () => {},
    ...o,
  });

  it('records ENVC_GIT_COMMIT, else GITHUB_SHA, else the HEAD of the spec repository, else nothing', async () => {
    expect(
      await createRunnerDeps(
        options({ env: { ENVC_GIT_COMMIT: 'aaa111', GITHUB_SHA: 'bbb222' } }),
      ).revision?.(),
    ).toBe('aaa111');
    expect(await createRunnerDeps(options({ env: { GITHUB_SHA: 'bbb222' } })).revision?.()).toBe('bbb222');
    expect(await createRunnerDeps(options()).revision?.()).toBe(head);
    // Run from elsewhere: the spec's repository counts, not the working directory.
    const elsewhere = mkdtempSync(join(tmpdir(), 'envc-cwd-'));
    expect(
      await createRunnerDeps(
        options({
          cwd: elsewhere,
          paths: runnerPaths({ cwd: elsewhere, specPath: join(repo, 'environments.yaml') }),
        }),
      ).revision?.(),
    ).toBe(head);
    const bare = mkdtempSync(join(tmpdir(), 'envc-nogit-'));
    expect(
      await createRunnerDeps(
        options({ paths: runnerPaths({ cwd: bare, specPath: join(bare, 'environments.yaml') }) }),
      ).revision?.(),
    ).toBeUndefined();
  });

  it('reads lock, poll and retention settings from the environment and refuses nonsense', () => {
    const d = createRunnerDeps(
      options({
        env: { ENVC_LOCK_TTL: '9', ENVC_APPROVAL_POLL_MS: '70', ENVC_KEEP_PLANS: '3' },
        lockWaitMs: 5,
      }),
    );
    expect(d.lock).toEqual({ ttlSeconds: 9, waitMs: 5, pollMs: 250 });
    expect(d.approvalWait).toEqual({ waitMs: 0, pollMs: 70 });
    expect(d.retention).toEqual({ keep: 3 });
    expect(createRunnerDeps(options()).retention).toEqual({ keep: 5 });
    for (const bad of ['0', '-2', '1.5', 'ten'])
      expect(() => createRunnerDeps(options({ env: { ENVC_KEEP_PLANS: bad } }))).toThrow(
        `ENVC_KEEP_PLANS must be a whole number of at least 1, not "${bad}"`,
      );
  });

  it("asks the given approver check about the environment's approvers; else the local group map", async () => {
    const model = await defaultModel();
    const asked: unknown[] = [];
    const bot = createRunnerDeps(
      options({
        model,
        approverCheck: async (who, refs) => {
          asked.push([who, refs]);
          return who === 'USLACK';
        },
      }),
    );
    expect(await bot.isApprover('production', 'USLACK')).toBe(true);
    expect(asked).toEqual([['USLACK', ['@platform-leads']]]);
    const cli = createRunnerDeps(
      options({ model, env: { ENVC_APPROVER_GROUPS: JSON.stringify({ '@platform-leads': ['ULOCAL'] }) } }),
    );
    expect(await cli.isApprover('production', 'ULOCAL')).toBe(true);
    expect(await cli.isApprover('production', 'USLACK')).toBe(false);
    // Without a spec: only an environment called production is gated, and nobody may approve it.
    const specless = createRunnerDeps(options());
    expect(specless.policy('production')?.approvals.required).toBe(true);
    expect(specless.policy('staging')?.approvals.required).toBe(false);
  });

  it('wires compile --check into drift only with a spec and a generated tree', async () => {
    const model = await defaultModel();
    const check = async () => ({ staleFiles: ['x'] });
    expect(createRunnerDeps(options({ model, compileCheck: check })).compileCheck).toBeTypeOf('function');
    expect(createRunnerDeps(options({ compileCheck: check })).compileCheck).toBeUndefined();
    const stacksOnly = runnerPaths({ cwd: repo, specPath: 'environments.yaml', stacks: 'st' });
    expect(
      createRunnerDeps(options({ model, paths: stacksOnly, compileCheck: check })).compileCheck,
    ).toBeUndefined();
  });
});
