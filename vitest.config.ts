import { configDefaults, defineConfig } from 'vitest/config';
import { testFiles } from './test/support/suites.js';

// `npm test` runs ENVC_TEST_SET=fast, `npm run test:e2e` the slow end-to-end suites (test/support/suites.ts);
// `.ci/run` runs both. Without ENVC_TEST_SET every file runs (`npx vitest run <file>` finds any file).
const files = testFiles(process.env.ENVC_TEST_SET);
const under = (dir: string) => files.include.filter((g) => g.startsWith(dir));

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: under('src/'),
          exclude: [...configDefaults.exclude, ...files.exclude],
          // Unit tests beside the code are pure or clean up after themselves: one worker runs many files
          // without re-importing the compiler, cdk8s and the CRD models for each (40% of their CPU time).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: under('test/'),
          exclude: [...configDefaults.exclude, ...files.exclude],
        },
      },
    ],
  },
});
