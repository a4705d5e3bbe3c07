// `envc cost` (issue 16): the cost of 100 environments × 30 services against `envc validate` of the same spec,
// in the same run (target: cost within 2× validate — the cost model prices from the model and the Helm values
// it derives, without rendering the Kubernetes manifests).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeSpec } from './gen-spec.mjs';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

export async function bench({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-cost-'));
  try {
    const big = join(dir, 'large.yaml');
    writeFileSync(big, largeSpec(join(root, 'environments.yaml'), { environments: 100, services: 30 }));
    const runs = 5;
    const validate = median(timeCommand(process.execPath, [envcBin, 'validate', big], { runs, cwd: dir }));
    const cost = median(timeCommand(process.execPath, [envcBin, 'cost', big], { runs, cwd: dir }));
    const costJson = median(timeCommand(process.execPath, [envcBin, 'cost', big, '--json'], { runs, cwd: dir }));
    log(`  validate 100 envs × 30 services ${fmt(validate)}  (baseline)`);
    log(`  cost 100 envs × 30 services     ${fmt(cost)}  (${(cost / validate).toFixed(2)}x validate; target < 2x)`);
    log(`  cost --json                     ${fmt(costJson)}  (${(costJson / validate).toFixed(2)}x validate)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
