/**
 * Issue 13, item 4: every `envc …` command printed in a generated README, the docs or the CI workflows
 * `envc init --ci github` writes is parsed by the CLI's own parser (the generated READMEs used to show
 * `npx envc plan <env>`, which exits 64).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/main.js';
import { compileText } from '../../src/compiler/pipeline.js';
import { verifyPlatform } from '../../src/compiler/platform/verify.js';
import { renderWorkflows } from '../../src/init/render.js';
import { defaultModel, defaultSpecText, TEST_TODAY } from '../support/model.js';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(n) ? [p] : [];
  });
}

/** Shell words of each `envc …` invocation in a text: code lines only, one per `&&`/`||`/`|`/`;` part. */
function envcCommands(text: string): string[][] {
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*(?:run:\s*|-\s*run:\s*|\$\s+)/, '').replace(/\s+#.*$/, '');
    for (const part of line.split(/&&|\|\||;|\||\s\d?>/)) {
      const m = /(?:^|\s)(?:npx\s+)?envc\s+(.*)$/.exec(part.trim());
      if (!m || !/^(?:npx\s+)?envc\s/.test(part.trim())) continue;
      const words = [...m[1]!.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((w) => w[1] ?? w[2] ?? w[3]!);
      // GitHub expressions and shell variables stand for one value each.
      out.push(words.map((w) => w.replace(/\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$[A-Z_]+/g, 'x')));
    }
  }
  return out;
}

/** Fenced code only: prose may name a command with placeholders (`envc plan --env <env>`). */
function fenced(text: string): string {
  return [...text.matchAll(/```(?:sh|bash|shell|console)\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
}

async function expectParses(where: string, words: string[]) {
  const r = await parseCommandLine(words);
  const error = r.kind === 'usage' ? r.result.stderr : undefined;
  expect({ where, command: `envc ${words.join(' ')}`, error }).toEqual({
    where,
    command: `envc ${words.join(' ')}`,
    error: undefined,
  });
}

describe('commands shown to users parse', () => {
  it('finds the commands in code, and the parser rejects the old README form', async () => {
    expect(envcCommands('```sh\nnpx envc plan --env dev || [ $? -eq 2 ]\n```')).toEqual([
      ['plan', '--env', 'dev'],
    ]);
    const old = await parseCommandLine(['plan', 'development']);
    expect(old.kind).toBe('usage');
  });

  it('in generated/ (the environment READMEs, the handoff sheets)', async () => {
    const found = files(join(ROOT, 'generated'), /\.md$/).flatMap((f) =>
      envcCommands(fenced(readFileSync(f, 'utf8'))).map((c) => [relative(ROOT, f), c] as const),
    );
    expect(found.filter(([f]) => f.endsWith('README.md')).length).toBeGreaterThanOrEqual(8);
    for (const [f, words] of found) await expectParses(f, words);
  });

  it('in README.md and docs/', async () => {
    const docs = [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/)];
    // Usage synopses (`envc init [--ci github] …`, `--env <env>`) describe a command; they are not one.
    const synopsis = (w: string[]) => w.some((x) => /^\[|\]$|…|\.\.\.|^<.*>$/.test(x));
    const found = docs.flatMap((f) =>
      envcCommands(fenced(readFileSync(f, 'utf8')))
        .filter((w) => !synopsis(w))
        .map((c) => [relative(ROOT, f), c] as const),
    );
    expect(found.length).toBeGreaterThanOrEqual(5);
    for (const [f, words] of found) await expectParses(f, words);
  });

  it('in the bring-up order `envc verify --order` prints (the README from zero follows it)', async () => {
    const model = await defaultModel();
    const { files } = await compileText(defaultSpecText(), 'environments.yaml', { today: TEST_TODAY });
    const steps = verifyPlatform(model, files).bringUp.steps;
    const found = steps.flatMap((s) => envcCommands(s.command).map((c) => [`step ${s.index}`, c] as const));
    // bootstrap, two roots per environment, rotations: every one an envc command a person can paste.
    expect(found.length).toBeGreaterThanOrEqual(9);
    for (const [where, words] of found) await expectParses(where, words);
  });

  it('in the CI workflows `envc init --ci github` writes', async () => {
    const model = await defaultModel();
    const found = renderWorkflows(model).flatMap((w) =>
      envcCommands(w.content).map((c) => [w.path, c] as const),
    );
    expect(found.length).toBeGreaterThan(5);
    for (const [f, words] of found) await expectParses(f, words);
  });
});
