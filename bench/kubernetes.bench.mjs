// The Kubernetes (and Helm values) emitters' share of compile time (issue 4), and proof that only a compile
// pays for cdk8s. The emitters have no entry point of their own in dist/, so a small driver from src/ is
// bundled with esbuild (the bundler `npm run build` uses) into node_modules/.cache and timed in one process:
// building the model, every emitter of a full compile, the Kubernetes emitter alone (libraries loaded) and
// the Helm emitter alone — for the default spec and for a 100 environments × 30 services spec. Then, in fresh
// processes: the one-off cost of importing cdk8s, cdk8s-plus-33 and the CRD models, and which modules
// `envc --version` resolves (none of those).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDriver } from './driver.mjs';
import { largeSpec } from './gen-spec.mjs';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

const DRIVER = `
import { buildModelFromText, emitAll } from '../../../src/compiler/pipeline.ts';
import { emitKubernetes, loadKubernetesLibs } from '../../../src/compiler/emitters/kubernetes/index.ts';
import { emitHelm } from '../../../src/compiler/emitters/helm/index.ts';
export { buildModelFromText, emitAll, emitHelm, emitKubernetes, loadKubernetesLibs };
`;

async function timeAsync(fn, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

const pct = (part, whole) => `${((100 * part) / whole).toFixed(0)}%`;

async function shares(d, libs, text, label, runs, log) {
  const built = d.buildModelFromText(text, 'environments.yaml', { today: '2026-01-01' });
  if (!built.model) throw new Error(`${label}: spec does not build`);
  const model = built.model;
  const all = median(await timeAsync(() => d.emitAll(model), runs));
  const k8s = median(await timeAsync(() => d.emitKubernetes(model, libs), runs));
  const helm = median(await timeAsync(() => d.emitHelm(model), runs));
  const services = model.environments.reduce((n, e) => n + e.services.length, 0);
  const files = d.emitKubernetes(model, libs).files.length;
  log(
    `  ${label}: ${model.environments.length} environments, ${services} service instances, ${files} Kubernetes files`,
  );
  log(`    all emitters                ${fmt(all)}  (median of ${runs})`);
  log(
    `    kubernetes emitter          ${fmt(k8s)}  (${pct(k8s, all)} of emit; ${(k8s / Math.max(1, services)).toFixed(2)} ms per service instance)`,
  );
  log(`    helm values emitter         ${fmt(helm)}  (${pct(helm, all)} of emit)`);
  return { all, k8s, services };
}

export async function bench({ log }) {
  const d = await loadDriver('kubernetes-driver', DRIVER);
  const t0 = process.hrtime.bigint();
  const libs = await d.loadKubernetesLibs();
  log(
    `  first load of cdk8s + cdk8s-plus-33 + CRD models in this process: ${fmt(Number(process.hrtime.bigint() - t0) / 1e6)}`,
  );

  const defText = readFileSync(join(root, 'environments.yaml'), 'utf8');
  const def = await shares(d, libs, defText, 'default spec', 7, log);
  const big = await shares(
    d,
    libs,
    largeSpec(join(root, 'environments.yaml'), { environments: 100, services: 30 }),
    '100 envs × 30 services',
    2,
    log,
  );
  // Per service instance, the large spec should cost no more than the default one (fixed costs spread out).
  log(
    `    kubernetes emitter per service instance: ${(big.k8s / big.services).toFixed(2)} ms at 100×30 vs ${(def.k8s / def.services).toFixed(2)} ms for the default spec`,
  );

  // A fresh process: what importing the libraries costs the one command that needs them.
  const imports = timeCommand(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "await import('cdk8s'); await import('cdk8s-plus-33'); await import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet');",
    ],
    { runs: 5 },
  );
  const bare = timeCommand(process.execPath, ['--input-type=module', '-e', ''], { runs: 5 });
  log(
    `  import cdk8s + plus + CRD models (fresh node)  ${fmt(median(imports) - median(bare))} above a bare node`,
  );

  // Which modules `envc --version` resolves, recorded by a module-resolution hook.
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-lazy-'));
  try {
    writeFileSync(
      join(dir, 'hooks.mjs'),
      "import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.ENVC_TRACE_FILE, s + '\\n'); return r; }\n",
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    );
    const resolved = (args) => {
      const trace = join(dir, 'trace');
      writeFileSync(trace, '');
      spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), envcBin, ...args], {
        cwd: dir,
        env: { ...process.env, ENVC_TRACE_FILE: trace },
        stdio: 'ignore',
      });
      return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    };
    const heavy = (mods) =>
      mods.filter((m) => /^(cdk8s|cdk8s-plus-33|@kubernetes-models\/|kubernetes-models)/.test(m));
    const version = resolved(['--version']);
    const compile = resolved(['compile', join(root, 'environments.yaml'), '--out', join(dir, 'out')]);
    log(
      `  envc --version resolves ${version.length} modules; cdk8s/plus/CRD models among them: ${heavy(version).length === 0 ? 'none' : heavy(version).join(', ')}`,
    );
    log(
      `  envc compile resolves ${compile.length} modules; cdk8s/plus/CRD models among them: ${heavy(compile).length}`,
    );
    const v = median(timeCommand(process.execPath, [envcBin, '--version'], { runs: 7 }));
    log(`  envc --version                ${fmt(v)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
