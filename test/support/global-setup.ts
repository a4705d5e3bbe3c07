import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres } from './postgres-server.js';

/**
 * Runs once before the suite: builds dist/ (end-to-end tests run the real `bin/envc.js`), points terraform
 * at an empty CLI config so it does not warn about a missing ~/.terraformrc on every call, and — unless
 * ENVC_TEST_POSTGRES_URL names one (or ENVC_TEST_POSTGRES=off) — starts a throw-away PostgreSQL when this
 * machine has the server binaries, so the PostgreSQL store tests run wherever they can.
 */
export default async function setup(): Promise<() => void> {
  // Each test project (unit, e2e) runs this; the first does the work, in the one vitest process.
  if (process.env.ENVC_TEST_SETUP_DONE) return () => {};
  process.env.ENVC_TEST_SETUP_DONE = '1';
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
  } catch (err) {
    // Unit tests do not need dist/; end-to-end tests that do will fail on their own and say why.
    const out = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    process.stderr.write(
      `\nwarning: \`node scripts/build.mjs\` failed; end-to-end tests will use a stale or missing dist/\n${out.slice(0, 2000)}\n`,
    );
  }
  const dir = join(tmpdir(), 'envc-test-terraform');
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, 'terraformrc');
  writeFileSync(rc, '');
  process.env.TF_CLI_CONFIG_FILE = rc;
  process.env.CHECKPOINT_DISABLE = '1';
  if (process.env.ENVC_TEST_POSTGRES_URL || process.env.ENVC_TEST_POSTGRES === 'off') return () => {};
  const port = process.env.ENVC_TEST_POSTGRES_PORT ? Number(process.env.ENVC_TEST_POSTGRES_PORT) : undefined;
  const { server, reason } = await startTestPostgres(port);
  if (!server) {
    process.env.ENVC_TEST_POSTGRES_SKIP = reason;
    return () => {};
  }
  process.env.ENVC_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
