// Start-up and compile figures (issue 2): `envc --version` against a bare `node -e ''`, the default compile,
// and a 100 environments × 30 services compile against 25 × the default (linear scaling shows ~1.0). The large
// specs are above the 32 environments a real spec may declare (ENVC0012), so they run through the CLI bundled
// from src/ with the limits raised in its own process (bench/driver.mjs); the default spec runs bin/envc.js.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from './driver.mjs';
import { largeSpec } from './gen-spec.mjs';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

export async function bench({ log }) {
  const bare = median(timeCommand(process.execPath, ['-e', ''], { runs: 11 }));
  const version = median(timeCommand(process.execPath, [envcBin, '--version'], { runs: 11 }));
  const help = median(timeCommand(process.execPath, [envcBin, '--help'], { runs: 7 }));
  log(`  node -e ''                    ${fmt(bare)}  (baseline)`);
  log(
    `  envc --version                ${fmt(version)}  (${(version / bare).toFixed(2)}x baseline; target < 150 ms)`,
  );
  log(`  envc --help                   ${fmt(help)}  (${(help / bare).toFixed(2)}x baseline)`);

  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-'));
  try {
    const validate = median(
      timeCommand(process.execPath, [envcBin, 'validate', join(root, 'environments.yaml')], { runs: 5 }),
    );
    log(`  validate default spec         ${fmt(validate)}`);
    const defOut = join(dir, 'default-out');
    const def = timeCommand(
      process.execPath,
      [envcBin, 'compile', join(root, 'environments.yaml'), '--out', defOut],
      { runs: 5 },
    );
    const defaultMs = median(def);
    log(`  compile default spec          ${fmt(defaultMs)}  (median of ${def.length}; target < 1.5 s)`);

    const cli = await bundleCli();
    const raised = median(
      timeCommand(process.execPath, [cli, 'compile', join(root, 'environments.yaml'), '--out', defOut], {
        runs: 3,
      }),
    );
    log(
      `  compile default spec, limits raised ${fmt(raised)}  (the CLI the large specs run; one bundle, no chunks)`,
    );

    const big = join(dir, 'large.yaml');
    writeFileSync(big, largeSpec(join(root, 'environments.yaml'), { environments: 100, services: 30 }));
    const bigOut = join(dir, 'large-out');
    const large = timeCommand(process.execPath, [cli, 'compile', big, '--out', bigOut], { runs: 3 });
    const largeMs = median(large);
    // The default spec has 3 application environments + system; 100 environments is ~25× its size.
    log(`  compile 100 envs × 30 services ${fmt(largeMs)}  (median of ${large.length}; target < 15 s)`);
    log(
      `  scaling ratio 100×30 / (25 × default) = ${(largeMs / (25 * raised)).toFixed(2)}  (~1.0 is linear; below 1 while start-up dominates the default)`,
    );
    // A second point on the same curve separates the per-environment cost from the fixed start-up cost.
    const half = join(dir, 'half.yaml');
    writeFileSync(half, largeSpec(join(root, 'environments.yaml'), { environments: 50, services: 30 }));
    const halfMs = median(
      timeCommand(process.execPath, [cli, 'compile', half, '--out', join(dir, 'half-out')], { runs: 3 }),
    );
    const perEnv = (largeMs - halfMs) / 50;
    log(`  compile 50 envs × 30 services  ${fmt(halfMs)}`);
    log(
      `  marginal cost per environment (30 services) ${fmt(perEnv)}; fixed cost ${fmt(largeMs - 100 * perEnv)}`,
    );
    log(
      `  ratio 100-env / 50-env = ${(largeMs / halfMs).toFixed(2)}  (2.0 is linear in environments, less with fixed cost)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
