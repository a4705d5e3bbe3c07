/**
 * Screenshots in docs/screenshots/ stay current: each PNG has a sidecar of stable facts about the page it shows
 * (headings, message headers, button labels, resource addresses — never pixels, timestamps or digests). The
 * browser test computes the facts of the live page and compares them with the sidecar; `npm run screenshots`
 * (ENVC_UPDATE_SCREENSHOTS=1) rewrites both, and the diff of the sidecar is what a reviewer reads.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../docs/screenshots');
const update = process.env.ENVC_UPDATE_SCREENSHOTS === '1';

export async function pageFacts(page: Page): Promise<Record<string, string[]>> {
  const texts = (sel: string) =>
    page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
  return {
    title: [(await page.title()).replace(/[0-9a-f]{12}/g, '<digest>')],
    headings: (await texts('h1, h2')).map((t) => t.replace(/[0-9a-f]{12}/g, '<digest>')),
    messages: await texts('.bk-header'),
    buttons: await texts('.bk-actions .btn'),
    resources: await texts('details.res > summary > code'),
  };
}

/** Compares the page with its committed screenshot's facts (or rewrites both when updating). */
export async function checkScreenshot(
  page: Page,
  name: string,
): Promise<{ expected?: unknown; actual: unknown }> {
  const facts = await pageFacts(page);
  const sidecar = join(SCREENSHOT_DIR, `${name}.json`);
  if (update) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
    writeFileSync(sidecar, `${JSON.stringify(facts, null, 2)}\n`);
  }
  const expected = existsSync(sidecar) ? JSON.parse(readFileSync(sidecar, 'utf8')) : undefined;
  return { expected, actual: facts };
}
