import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSpecText, TEST_TODAY } from '../../test/support/model.js';
import { buildModelCached, KEEP_ENTRIES } from './model-cache.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'envc-model-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entries = () => {
  try {
    return readdirSync(join(dir, '.envc', 'cache'));
  } catch {
    return [];
  }
};

function load(
  over: { text?: string; buildId?: string; today?: string; env?: NodeJS.ProcessEnv; readOnly?: boolean } = {},
) {
  const specPath = join(dir, 'environments.yaml');
  if (over.text !== undefined) writeFileSync(specPath, over.text);
  return buildModelCached({
    specPath,
    displayName: 'environments.yaml',
    cwd: dir,
    env: over.env ?? {},
    today: over.today ?? TEST_TODAY,
    buildId: over.buildId ?? 'build-a',
    readOnly: over.readOnly ?? true,
  });
}

describe('the model cache of read-only commands', () => {
  it('answers the second load from the cache with the very model a build gives (JSON keeps it whole)', async () => {
    const first = await load({ text: defaultSpecText() });
    expect(first.cached).toBe(false);
    expect(entries()).toHaveLength(1);
    const second = await load();
    expect(second.cached).toBe(true);
    expect(second.model).toStrictEqual(first.model);
  });

  it('builds again when the spec, the day or the build of envc changed', async () => {
    await load({ text: defaultSpecText() });
    const edited = defaultSpecText().replace('rotateEvery: 90d', 'rotateEvery: 60d');
    const afterEdit = await load({ text: edited });
    expect(afterEdit.cached).toBe(false);
    expect(afterEdit.model?.secrets.find((s) => s.name === 'app-db')?.rotateEvery).toMatch(/60/);
    expect((await load({ today: '2026-11-27' })).cached).toBe(false);
    expect((await load({ buildId: 'build-b' })).cached).toBe(false);
    expect((await load()).cached).toBe(true);
  });

  it('builds again when the price catalogue beside the spec changed', async () => {
    await load({ text: defaultSpecText() });
    writeFileSync(join(dir, 'envc-prices.json'), '{"not":"a catalogue"}');
    expect((await load()).cached).toBe(false);
  });

  it('never keeps a spec with errors: each load reports them again', async () => {
    const broken = defaultSpecText().replace('apiVersion: envc/v1', 'apiVersion: envc/v0');
    const a = await load({ text: broken });
    expect(a.model).toBeUndefined();
    expect(a.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(entries()).toEqual([]);
    const b = await load();
    expect(b.cached).toBe(false);
    expect(b.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('rebuilds over a damaged entry; caches nothing with ENVC_MODEL_CACHE=0 or for a command that is not read-only', async () => {
    await load({ text: defaultSpecText() });
    const [entry] = entries();
    writeFileSync(join(dir, '.envc', 'cache', entry!), '{"half');
    const again = await load();
    expect(again.cached).toBe(false);
    expect(again.model?.platform).toBe('acme');
    expect((await load()).cached).toBe(true);

    rmSync(join(dir, '.envc'), { recursive: true });
    await load({ env: { ENVC_MODEL_CACHE: '0' } });
    expect(entries()).toEqual([]);
    // A command that changes things (plan, apply, rotations) always builds.
    expect((await load({ readOnly: false })).cached).toBe(false);
    expect(entries()).toEqual([]);
  });

  it(`keeps the newest ${KEEP_ENTRIES} entries, so daily and per-edit entries do not pile up`, async () => {
    await load({ text: defaultSpecText() });
    for (let day = 1; day <= KEEP_ENTRIES + 3; day++)
      await load({ today: `2026-12-${String(day).padStart(2, '0')}` });
    expect(entries()).toHaveLength(KEEP_ENTRIES);
    // The newest is among them: the last day loads from the cache.
    expect((await load({ today: `2026-12-${String(KEEP_ENTRIES + 3).padStart(2, '0')}` })).cached).toBe(true);
  });
});
