// The Terraform emitter's share of compile time (issue 3). The emitter has no entry point of its own in dist/,
// so this bundles a small driver from src/ with esbuild (the same bundler `npm run build` uses) into
// node_modules/.cache, then times, in one process: building the model, every emitter of a full compile, and
// the Terraform emitter alone — for the default spec and for a 100 environments × 30 services spec.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDriver } from './driver.mjs';
import { largeSpec } from './gen-spec.mjs';
import { fmt, median, root } from './lib.mjs';

const DRIVER = `
import { buildModelFromText, emitAll } from '../../../src/compiler/pipeline.ts';
import { terraformEmitter } from '../../../src/compiler/emitters/terraform/index.ts';
export { buildModelFromText, emitAll, terraformEmitter };
`;

function timeSync(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

async function timeAsync(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

async function measure(driver, text, label, runs, log) {
  const { buildModelFromText, emitAll, terraformEmitter } = driver;
  const built = buildModelFromText(text, 'environments.yaml', { today: '2026-01-01' });
  if (!built.model)
    throw new Error(
      `${label}: the spec does not compile: ${built.diagnostics.map((d) => d.message).join('; ')}`,
    );
  const model = built.model;
  await emitAll(model); // warm-up: lazy imports, template compilation, JIT
  const modelMs = median(
    timeSync(() => buildModelFromText(text, 'environments.yaml', { today: '2026-01-01' }), runs),
  );
  const allMs = median(await timeAsync(() => emitAll(model), runs));
  let files = 0;
  const tfMs = median(
    timeSync(() => {
      files = terraformEmitter.emit(model, { envcVersion: 'bench' }).files.length;
    }, runs),
  );
  const compileMs = modelMs + allMs;
  log(
    `  ${label}: model ${fmt(modelMs)}, all emitters ${fmt(allMs)}, terraform emitter ${fmt(tfMs)} (${files} files)`,
  );
  log(
    `    terraform share of compile (model + emit) = ${((100 * tfMs) / compileMs).toFixed(1)}%  (median of ${runs})`,
  );
  return { tfMs, compileMs, envs: model.environments.length };
}

export async function bench({ log }) {
  const t0 = process.hrtime.bigint();
  const driver = await loadDriver('terraform-driver', DRIVER);
  log(`  driver bundled and loaded in ${fmt(Number(process.hrtime.bigint() - t0) / 1e6)}`);

  // First emit in a fresh process: reads and compiles the Handlebars templates once.
  const model = driver.buildModelFromText(
    readFileSync(join(root, 'environments.yaml'), 'utf8'),
    'environments.yaml',
    { today: '2026-01-01' },
  ).model;
  const c0 = process.hrtime.bigint();
  driver.terraformEmitter.emit(model, { envcVersion: 'bench' });
  log(
    `  first terraform emit (templates read and compiled) ${fmt(Number(process.hrtime.bigint() - c0) / 1e6)}`,
  );

  const def = await measure(
    driver,
    readFileSync(join(root, 'environments.yaml'), 'utf8'),
    'default spec',
    15,
    log,
  );
  const big = await measure(
    driver,
    largeSpec(join(root, 'environments.yaml'), { environments: 100, services: 30 }),
    '100 envs × 30 services',
    3,
    log,
  );
  const perEnvDefault = def.tfMs / def.envs;
  const perEnvBig = big.tfMs / big.envs;
  log(
    `  terraform per environment: ${fmt(perEnvDefault)} (default) vs ${fmt(perEnvBig)} (large); ratio ${(perEnvBig / perEnvDefault).toFixed(2)} (~1.0 is linear)`,
  );
}
