import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs once before the suite: builds dist/ (end-to-end tests run the real `bin/envc.js`) and points terraform
 * at an empty CLI config so it does not warn about a missing ~/.terraformrc on every call.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const dir = join(tmpdir(), 'envc-test-terraform');
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, 'terraformrc');
  writeFileSync(rc, '');
  process.env.TF_CLI_CONFIG_FILE = rc;
  process.env.CHECKPOINT_DISABLE = '1';
}
