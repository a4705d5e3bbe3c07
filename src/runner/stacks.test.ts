import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverStacks, orderEnvs, selectEnvs } from './stacks.js';

describe('stacks', () => {
  it('finds sub-directories with terraform files', async () => {
    const d = mkdtempSync(join(tmpdir(), 'envc-stacks-'));
    for (const e of ['staging', 'system', 'empty', '.hidden']) mkdirSync(join(d, e));
    writeFileSync(join(d, 'staging', 'main.tf'), '');
    writeFileSync(join(d, 'system', 'main.tf.json'), '{}');
    writeFileSync(join(d, 'empty', 'README.md'), '');
    expect(await discoverStacks(d)).toEqual(['staging', 'system']);
    expect(await discoverStacks(join(d, 'missing'))).toEqual([]);
  });

  it('selects --env / --all with system first and says what is wrong', () => {
    const avail = ['development', 'production', 'system'];
    expect(selectEnvs(avail, { envs: [], all: true }, 's')).toEqual({
      ok: true,
      envs: ['system', 'development', 'production'],
    });
    expect(selectEnvs(avail, { envs: ['production', 'production'], all: false }, 's')).toEqual({
      ok: true,
      envs: ['production'],
    });
    expect(selectEnvs(avail, { envs: ['prod'], all: false }, 's')).toMatchObject({
      ok: false,
      message: expect.stringContaining('no stack for "prod" under s'),
    });
    expect(selectEnvs(avail, { envs: [], all: false }, 's')).toMatchObject({
      ok: false,
      message: expect.stringContaining('--env'),
    });
    expect(selectEnvs(avail, { envs: ['system'], all: true }, 's')).toMatchObject({ ok: false });
    expect(selectEnvs([], { envs: [], all: true }, 's')).toMatchObject({
      ok: false,
      message: expect.stringContaining('envc compile'),
    });
    expect(orderEnvs(['b', 'system', 'a'])).toEqual(['system', 'a', 'b']);
  });
});
