import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous ceilings for a loaded 2-core machine; no test relies on one to pass (they fail, or hang).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Child processes (terraform, envc, PostgreSQL) and node:sqlite: forks isolate them best.
    pool: 'forks',
    // Most tests wait on child processes (terraform, envc, Chromium, PostgreSQL), not on the CPU: vitest's default of
    // one worker on two cores leaves the machine idle half the time.
    maxWorkers: 4,
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/slowest-reporter.ts'],
  },
});
