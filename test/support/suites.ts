/**
 * The end-to-end suites `npm run test:e2e` runs and `npm test` leaves out (issue 13: `npm test` within 8
 * minutes on a 2-core machine). Each drives many real processes — terraform through the built CLI, two bot
 * replicas on PostgreSQL, the getting-started guide in a copy of the repository, dozens of CLI runs of the
 * property tests — and together they were half of the suite's time. `.ci/run` runs both sets, so CI still runs
 * every test; `npx vitest run <file>` (no ENVC_TEST_SET) runs any file, in either set.
 */
export const E2E_SUITES = [
  'test/e2e/bot-replicas.test.ts',
  'test/e2e/docs-quickstart.test.ts',
  'test/e2e/property.test.ts',
  'test/e2e/rotation-cli.test.ts',
  'test/e2e/runner-locks.test.ts',
  'test/e2e/runner-rollback.test.ts',
  'test/e2e/runner-stale-plan.test.ts',
  'test/e2e/runner-state.test.ts',
  'test/e2e/runner.test.ts',
  'test/e2e/terraform-properties.test.ts',
] as const;

/** `ENVC_TEST_SET`: `fast` (npm test), `e2e` (npm run test:e2e), unset — every test file. */
export function testFiles(set: string | undefined): { include: string[]; exclude: string[] } {
  const all = ['src/**/*.test.ts', 'test/**/*.test.ts'];
  if (set === 'e2e') return { include: [...E2E_SUITES], exclude: [] };
  if (set === 'fast') return { include: all, exclude: [...E2E_SUITES] };
  if (set === undefined || set === '' || set === 'all') return { include: all, exclude: [] };
  throw new Error(`ENVC_TEST_SET must be fast, e2e or all, not "${set}"`);
}
