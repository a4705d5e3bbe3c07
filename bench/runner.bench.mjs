// Runner figures (issue 5), with the real terraform binary on the fixture stacks (terraform_data, local
// backend) and the default PGlite store:
// - parallel overhead: wall time of `envc plan --all` over 4 environments against the slowest single-env
//   `envc plan --env E` (ratio; target under 1.3 — 1.0 would be perfect parallelism);
// - apply overhead per environment: `envc apply --env development` (spec, store, lock with heartbeat, digest
//   re-check, audit) against `terraform apply <planfile>` of the same change in a copy of the stack, and the
//   store's own floor (`envc lock status`: open + one query + close).
// With ENVC_TEST_POSTGRES_URL set, the apply figures are repeated on PostgreSQL.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { envcBin, fmt, median, root, timeCommand } from './lib.mjs';

const ENVS = ['development', 'production', 'staging', 'system'];

function run(cmd, args, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  return {
    ms: Number(process.hrtime.bigint() - t0) / 1e6,
    status: r.status,
    stderr: r.stderr.toString(),
    stdout: r.stdout.toString(),
  };
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'envc-bench-runner-'));
  for (const e of ENVS)
    cpSync(join(root, 'test/fixtures/stacks', e), join(dir, 'stacks', e), { recursive: true });
  writeFileSync(join(dir, 'environments.yaml'), readFileSync(join(root, 'environments.yaml')));
  const rc = join(dir, 'terraformrc');
  writeFileSync(rc, '');
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: '1',
    NO_COLOR: '1',
    ENVC_STORE: join(dir, '.envc', 'state'),
  };
  return { dir, env };
}

/** Alternates the development cluster size so every apply has one change to make. */
function toggle(stackDir, i) {
  const main = join(stackDir, 'main.tf');
  writeFileSync(main, readFileSync(main, 'utf8').replace(/default = \d+/, `default = ${3 + (i % 2) + 1}`));
}

function applyFigures(log, label, ws, runs) {
  const envc = (args) =>
    run(process.execPath, [envcBin, ...args, '--stacks', 'stacks'], { cwd: ws.dir, env: ws.env });
  const envcTimes = [];
  for (let i = 0; i <= runs; i++) {
    toggle(join(ws.dir, 'stacks', 'development'), i);
    const p = envc(['plan', '--env', 'development']);
    if (p.status !== 2) throw new Error(`envc plan exited ${p.status}: ${p.stderr.slice(0, 1000)}`);
    const a = envc(['apply', '--env', 'development']);
    if (a.status !== 0) throw new Error(`envc apply exited ${a.status}: ${a.stderr.slice(0, 1000)}`);
    if (i > 0) envcTimes.push(a.ms);
  }
  const lockFloor = median(
    timeCommand(process.execPath, [envcBin, 'lock', 'status'], { runs, cwd: ws.dir, env: ws.env }),
  );
  log(`  [${label}] envc apply --env development  ${fmt(median(envcTimes))}  (median of ${runs})`);
  log(`  [${label}] store floor (envc lock status) ${fmt(lockFloor)}`);
  return median(envcTimes);
}

export async function bench({ log }) {
  const tf = spawnSync('terraform', ['version'], { stdio: 'ignore' });
  if (tf.status !== 0) {
    log('  skipped: terraform is not on PATH');
    return;
  }
  const ws = workspace();
  try {
    const envc = (args) => [envcBin, ...args, '--stacks', 'stacks'];
    // First run creates the PGlite store (3–5 s, once); timeCommand's warm-up absorbs it.
    const opts = { cwd: ws.dir, env: ws.env, expectExit: 2, runs: 5 };
    const all = median(timeCommand(process.execPath, envc(['plan', '--all']), opts));
    const singles = Object.fromEntries(
      ENVS.map((e) => [e, median(timeCommand(process.execPath, envc(['plan', '--env', e]), opts))]),
    );
    const slowest = Math.max(...Object.values(singles));
    log(`  plan --env E (each, median of 5)    ${ENVS.map((e) => `${e} ${fmt(singles[e])}`).join(', ')}`);
    log(`  plan --all over ${ENVS.length} environments      ${fmt(all)}  (median of 5)`);
    log(
      `  parallel overhead ratio             ${(all / slowest).toFixed(2)}  (plan --all / slowest single; target < 1.3)`,
    );
    // The ratio above assumes a worker per environment; the default is one per core. Against doing the
    // environments one after another, and with a worker per environment:
    const serial = Object.values(singles).reduce((a, b) => a + b, 0);
    const wide = median(
      timeCommand(process.execPath, envc(['plan', '--all', '--parallel', String(ENVS.length)]), opts),
    );
    log(
      `  plan --all / sum of singles         ${(all / serial).toFixed(2)}  (${cpus().length} cores, default --parallel ${cpus().length})`,
    );
    log(
      `  plan --all --parallel ${ENVS.length}             ${fmt(wide)}  (${(wide / slowest).toFixed(2)}× slowest single)`,
    );

    // Raw terraform baseline: the same change applied by terraform alone in a copy of the stack.
    const raw = join(ws.dir, 'raw');
    cpSync(join(root, 'test/fixtures/stacks/development'), raw, { recursive: true });
    const tfo = { cwd: raw, env: ws.env };
    if (run('terraform', ['init', '-input=false', '-backend-config=backend.hcl'], tfo).status !== 0)
      throw new Error('terraform init failed');
    const rawTimes = [];
    for (let i = 0; i <= 5; i++) {
      toggle(raw, i);
      if (run('terraform', ['plan', '-input=false', '-out=p.tfplan'], tfo).status > 2)
        throw new Error('terraform plan failed');
      const a = run('terraform', ['apply', '-input=false', 'p.tfplan'], tfo);
      if (a.status !== 0) throw new Error(`terraform apply failed: ${a.stderr.slice(0, 500)}`);
      if (i > 0) rawTimes.push(a.ms);
    }
    const rawApply = median(rawTimes);
    log(`  terraform apply <planfile> (raw)    ${fmt(rawApply)}  (median of 5)`);
    const pglite = applyFigures(log, 'pglite', ws, 5);
    log(
      `  [pglite] envc apply overhead per environment  ${fmt(pglite - rawApply)}  (spec, store open/close, lock + heartbeat, digest re-check, audit)`,
    );
    const pg = process.env.ENVC_TEST_POSTGRES_URL;
    if (pg) {
      const schema = `envc_bench_${process.pid}`;
      const pws = {
        dir: ws.dir,
        env: { ...ws.env, ENVC_STORE: `${pg}${pg.includes('?') ? '&' : '?'}schema=${schema}` },
      };
      const postgres = applyFigures(log, 'postgres', pws, 5);
      log(`  [postgres] envc apply overhead per environment  ${fmt(postgres - rawApply)}`);
    }
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}
