// `envc verify` (issue 11): the whole-platform check — reading the generated files into the platform model,
// the bring-up walk and the flow check — timed in one process over what a compile emitted, for the default
// spec (goal ≤ 0.5 s) and for 50 and 100 environments × 30 services (goal ≤ 5 s at 100, linear). As in
// kubernetes.bench.mjs, a small driver from src/ is bundled with esbuild into node_modules/.cache; emitting is
// not timed here (compile.bench.mjs and kubernetes.bench.mjs do that).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDriver } from './driver.mjs';
import { largeSpec } from './gen-spec.mjs';
import { fmt, median, root } from './lib.mjs';

const DRIVER = `
import { buildModelFromText, emitAll } from '../../../src/compiler/pipeline.ts';
import { buildFacts } from '../../../src/compiler/platform/facts.ts';
import { verifyFacts, verifyPlatform } from '../../../src/compiler/platform/verify.ts';
export { buildModelFromText, emitAll, buildFacts, verifyFacts, verifyPlatform };
`;

function time(fn, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

async function measure(d, text, label, runs, log) {
  const built = d.buildModelFromText(text, 'environments.yaml', { today: '2026-01-01' });
  if (!built.model) throw new Error(`${label}: spec does not build`);
  const { files } = await d.emitAll(built.model);
  const verify = median(time(() => d.verifyPlatform(built.model, files), runs));
  const read = median(time(() => d.buildFacts(built.model, files), runs));
  const result = d.verifyPlatform(built.model, files);
  const services = built.model.environments.reduce((n, e) => n + e.services.length, 0);
  log(
    `  ${label}: ${built.model.environments.length} environments, ${services} service instances, ${result.bringUp.steps.length} bring-up steps, ${result.flows.length} flows`,
  );
  log(`    verify (read + bring-up + flows) ${fmt(verify)}  (median of ${runs})`);
  log(`    of which reading the generated files ${fmt(read)}`);
  return { verify, envs: built.model.environments.length };
}

export async function bench({ log }) {
  const d = await loadDriver('verify-driver', DRIVER);
  const spec = join(root, 'environments.yaml');
  const def = await measure(d, readFileSync(spec, 'utf8'), 'default spec', 7, log);
  log(`    goal ≤ 0.5 s in-process: ${def.verify <= 500 ? 'met' : 'NOT met'}`);
  // Warm the JIT on a mid-sized spec first, so the 50-environment figure is not paying for it.
  await measure(d, largeSpec(spec, { environments: 25, services: 30 }), 'warm-up', 1, () => {});
  const half = await measure(
    d,
    largeSpec(spec, { environments: 50, services: 30 }),
    '50 envs × 30 services',
    2,
    log,
  );
  const big = await measure(
    d,
    largeSpec(spec, { environments: 100, services: 30 }),
    '100 envs × 30 services',
    2,
    log,
  );
  log(`    goal ≤ 5 s at 100 × 30: ${big.verify <= 5000 ? 'met' : 'NOT met'}`);
  log(
    `  ratio 100-env / 50-env = ${(big.verify / half.verify).toFixed(2)}  (2.0 is linear in environments); per environment ${fmt(big.verify / big.envs)} at 100 vs ${fmt(def.verify / def.envs)} for the default spec`,
  );
}
