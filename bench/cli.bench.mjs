// Command start-up (issue 13): `envc --version`, the commands that read the store (`lock`, `approvals list`,
// `rotate --status`; the last two read the spec's model too, from its cache after the warm-up run),
// `validate` and `compile` as ratios to a bare `node -e ''` measured in the same run, so a loaded machine
// shifts every figure alike. Target: each store read within 2× `--version`.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

export async function bench({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-cli-'));
  try {
    cpSync(join(root, 'environments.yaml'), join(dir, 'environments.yaml'));
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.ENVC_STORE; // the default embedded store under dir/.envc/state
    const opts = { cwd: dir, env, runs: 9 };
    const node = process.execPath;
    // The warm-up run of `lock` creates the store; the measured runs read an existing one.
    const rows = [
      ["node -e ''", median(timeCommand(node, ['-e', ''], opts))],
      ['envc --version', median(timeCommand(node, [envcBin, '--version'], opts))],
      ['envc lock (store read)', median(timeCommand(node, [envcBin, 'lock'], opts))],
      ['envc approvals list', median(timeCommand(node, [envcBin, 'approvals', 'list'], opts))],
      ['envc rotate --status', median(timeCommand(node, [envcBin, 'rotate', '--status'], opts))],
      ['envc validate', median(timeCommand(node, [envcBin, 'validate'], opts))],
      ['envc compile', median(timeCommand(node, [envcBin, 'compile'], { ...opts, runs: 5 }))],
    ];
    const base = rows[0][1];
    for (const [name, ms] of rows)
      log(`  ${name.padEnd(26)} ${fmt(ms).padStart(9)}  ${(ms / base).toFixed(2)}× node`);
    const version = rows[1][1];
    for (const [name, ms] of rows.slice(2, 5))
      log(
        `  ${name.replace(/ \(.*/, '')} / --version`.padEnd(38) +
          `${(ms / version).toFixed(2)}  (target ≤ 2.00)`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
