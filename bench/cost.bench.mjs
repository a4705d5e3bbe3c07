// `envc cost` (issue 16): the cost of a large spec against `envc validate` of the same spec, in the same run
// (target: cost within 2× validate — the cost model prices from the model and the Helm values it derives,
// without rendering the Kubernetes manifests). The issue asks for 100 environments × 30 services; the spec
// limits (src/compiler/limits.ts, ENVC0012) now stop at 32 environments, so the bench prices the largest spec
// envc accepts: 32 environments × 30 services.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeSpec } from './gen-spec.mjs';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

export async function bench({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-cost-'));
  try {
    // gen-spec adds N environments to the default spec's own system environment: 31 + 1 = 32.
    const envs = 31;
    const label = `${envs + 1} envs × 30 services`;
    const big = join(dir, 'large.yaml');
    writeFileSync(big, largeSpec(join(root, 'environments.yaml'), { environments: envs, services: 30 }));
    const runs = 5;
    const validate = median(timeCommand(process.execPath, [envcBin, 'validate', big], { runs, cwd: dir }));
    const cost = median(timeCommand(process.execPath, [envcBin, 'cost', big], { runs, cwd: dir }));
    const costJson = median(
      timeCommand(process.execPath, [envcBin, 'cost', big, '--json'], { runs, cwd: dir }),
    );
    log(`  validate ${label}  ${fmt(validate)}  (baseline)`);
    log(`  cost ${label}      ${fmt(cost)}  (${(cost / validate).toFixed(2)}x validate; target < 2x)`);
    log(`  cost --json          ${fmt(costJson)}  (${(costJson / validate).toFixed(2)}x validate)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
