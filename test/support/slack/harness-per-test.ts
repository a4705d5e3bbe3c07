/**
 * One bot per test, on its own PGlite store: `const start = harnessPerTest()` at the top of a test file, then
 * `const x = await start({ mode: 'socket' })` in a test. After each test nothing the bot sent may have been
 * rejected by the Slack fake or be a defect Slack would silently accept; then the bot and its store close.
 */
import { afterEach, expect } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { defaultModel } from '../model.js';
import { openTestStore } from '../store.js';
import { type Harness, type HarnessOptions, startHarness } from './bot-harness.js';

export function harnessPerTest(): (opts?: Partial<Omit<HarnessOptions, 'store'>>) => Promise<Harness> {
  let h: Harness | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    if (h) {
      expect(h.fake.rejectedCalls()).toEqual([]);
      expect(h.fake.warnings).toEqual([]);
      await h.close();
    }
    await store?.close();
    h = undefined;
    store = undefined;
  });
  return async (opts = {}) => {
    store = (await openTestStore()).store;
    h = await startHarness({ ...opts, store, model: opts.model ?? (await defaultModel()) });
    return h;
  };
}
