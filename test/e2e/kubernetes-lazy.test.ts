/**
 * cdk8s, cdk8s-plus and the CRD models load only when compiling: `envc --version` (and commands that do not
 * compile) must not pay for them. A module-resolution hook records every module the real CLI resolves.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENVC_BIN } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

const dir = mkdtempSync(join(tmpdir(), 'envc-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.ENVC_TRACE_FILE, specifier + ' ' + r.url + '\\n');
  return r;
}
`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
);

function resolvedBy(args: string[], name: string): string[] {
  const trace = join(dir, `${name}.trace`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), ENVC_BIN, ...args], {
    cwd: dir,
    env: { ...process.env, ENVC_TRACE_FILE: trace, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

const HEAVY = /(^|\/)(cdk8s|cdk8s-plus-33|@kubernetes-models\/|kubernetes-models)/;

describe('lazy loading of cdk8s', () => {
  it('envc --version resolves none of cdk8s, cdk8s-plus or the CRD models', () => {
    const modules = resolvedBy(['--version'], 'version');
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((m) => HEAVY.test(m.split(' ')[0]!))).toEqual([]);
  });

  it('envc compile does load them (the check above can fail)', () => {
    const modules = resolvedBy(['compile', DEFAULT_SPEC_PATH, '--out', join(dir, 'generated')], 'compile');
    const specifiers = modules.map((m) => m.split(' ')[0]!);
    expect(specifiers).toContain('cdk8s');
    expect(specifiers).toContain('cdk8s-plus-33');
  });
});
