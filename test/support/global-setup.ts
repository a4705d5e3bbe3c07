import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs once before the suite: builds dist/ (end-to-end tests run the real `bin/envc.js`) and points terraform
 * at an empty CLI config so it does not warn about a missing ~/.terraformrc on every call.
 */
export default function setup(): void {
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
}
