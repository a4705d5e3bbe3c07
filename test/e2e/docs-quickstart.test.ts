import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The getting-started guide's offline command blocks — each ```sh block right after a `<!-- offline -->`
 * line — run in order, in a copy of this repository, as a reader would run them. A block fails the test
 * when its last command exits non-zero (blocks run with `set -euo pipefail`).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const GUIDE = join(ROOT, 'docs', 'getting-started.md');

function offlineBlocks(markdown: string): Array<{ line: number; script: string }> {
  const lines = markdown.split('\n');
  const blocks: Array<{ line: number; script: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '<!-- offline -->') continue;
    const fence = lines[i + 1]?.trim();
    if (fence !== '```sh')
      throw new Error(
        `docs/getting-started.md:${i + 1}: <!-- offline --> must be followed by a \`\`\`sh block`,
      );
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim() !== '```'; j++) body.push(lines[j]!);
    if (j === lines.length) throw new Error(`docs/getting-started.md:${i + 2}: unterminated code block`);
    blocks.push({ line: i + 3, script: body.join('\n') });
    i = j;
  }
  return blocks;
}

/**
 * A working copy: the tracked tree (without git history), the built dist/, and node_modules linked entry
 * by entry, plus `node_modules/.bin/envc` — as `npm ci` leaves a project that depends on envc, so `npx envc`
 * finds the local bin at once instead of asking the registry.
 */
function repoCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'envc-quickstart-')), 'platform');
  const skip = new Set(['.git', 'node_modules', '.envc', 'coverage', '.bench']);
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(ROOT.length + 1);
      const top = rel.split('/')[0] ?? '';
      return !skip.has(top) && !top.startsWith('dist.');
    },
  });
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, '.bin'), { recursive: true });
  for (const e of readdirSync(join(ROOT, 'node_modules'))) {
    if (e !== '.bin') symlinkSync(join(ROOT, 'node_modules', e), join(nm, e));
  }
  for (const e of readdirSync(join(ROOT, 'node_modules', '.bin')))
    symlinkSync(join(ROOT, 'node_modules', '.bin', e), join(nm, '.bin', e));
  symlinkSync(join('..', '..', 'bin', 'envc.js'), join(nm, '.bin', 'envc'));
  // A git repository, as a user's checkout is: the guide must leave `git status` clean.
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'guide',
        GIT_AUTHOR_EMAIL: 'guide@example.com',
        GIT_COMMITTER_NAME: 'guide',
        GIT_COMMITTER_EMAIL: 'guide@example.com',
      },
      stdio: 'pipe',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'checkout');
  return dir;
}

describe('docs/getting-started.md', () => {
  const blocks = offlineBlocks(readFileSync(GUIDE, 'utf8'));
  let dir: string;
  beforeAll(() => {
    dir = repoCopy();
  });

  it('has offline blocks covering validate, compile, graph, handoff, a change and CI', () => {
    const all = blocks.map((b) => b.script).join('\n');
    for (const cmd of [
      'npx envc validate',
      'npx envc compile --check',
      'npx envc graph',
      'npx envc handoff',
      'npx envc diff',
      'npx envc init --ci github',
    ]) {
      expect(all).toContain(cmd);
    }
  });

  it('every offline block runs, in order, in a copy of the repository', { timeout: 300_000 }, () => {
    // `npx envc …` resolves to the copy's node_modules/.bin/envc (checked once below); a shim first on PATH
    // then runs that bin directly, because npx itself spends seconds per call reloading the dependency tree.
    const shims = mkdtempSync(join(tmpdir(), 'envc-shims-'));
    const realNpx = spawnSync('bash', ['-c', 'command -v npx'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      join(shims, 'npx'),
      `#!/bin/sh\nif [ "$1" = envc ]; then shift; exec node "${dir}/node_modules/.bin/envc" "$@"; fi\nexec "${realNpx}" "$@"\n`,
    );
    chmodSync(join(shims, 'npx'), 0o755);
    const viaNpx = spawnSync(realNpx, ['envc', '--version'], { cwd: dir, encoding: 'utf8' });
    expect(viaNpx.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const b of blocks) {
      const r = spawnSync('bash', ['-c', `set -euo pipefail\n${b.script}`], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', PATH: `${shims}:${process.env.PATH}` },
        timeout: 120_000,
      });
      expect(
        r.status,
        `docs/getting-started.md:${b.line} failed (exit ${r.status}):\n${b.script}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
      ).toBe(0);
    }
    // The guide wrote only into temp directories of its own and put its trial change back.
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
    expect(status).toBe('');
  });

  it('the output the guide quotes for `npx envc validate` is the real one', () => {
    const validate = spawnSync('npx', ['envc', 'validate'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const quoted = /prints\n\n```text\n(.+)\n```/.exec(readFileSync(GUIDE, 'utf8'))?.[1];
    expect(quoted).toBeDefined();
    expect(validate.stdout.trim()).toBe(quoted);
  });

  it('the block parser rejects a marker without a sh block', () => {
    expect(() => offlineBlocks('<!-- offline -->\ntext\n')).toThrow(/must be followed by a ```sh block/);
    expect(offlineBlocks('```sh\nnot marked\n```\n<!-- offline -->\n```sh\na\nb\n```\n')).toEqual([
      { line: 6, script: 'a\nb' },
    ]);
  });
});
