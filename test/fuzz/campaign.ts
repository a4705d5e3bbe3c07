/**
 * `npm run fuzz`: the seeded mutation campaign over the shipped environments.yaml (docs/fuzz.md).
 *
 *   npm run fuzz                                  # 10,000 cases, seed 1
 *   npm run fuzz -- --seed 7 --cases 20000        # another campaign
 *   npm run fuzz -- --seed 7 --only 4242 --write case.yaml   # reproduce one case
 *
 * Cases run in a worker thread; the main thread is the watchdog: a case that runs longer than --hang-ms is
 * a hang, the worker is terminated and a fresh one continues with the next case. Exit 1 when any case is a
 * crash, hang, unlocated diagnostic or wrong accept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { OUTCOMES, type Outcome, type Result, runCase } from './classify.js';
import { makeCase, OPERATORS } from './mutations.js';

interface Job {
  seed: number;
  from: number;
  to: number;
  base: string;
}

type Msg = { type: 'start'; index: number } | { type: 'result'; result: Result } | { type: 'done' };

async function worker(job: Job): Promise<void> {
  for (let i = job.from; i < job.to; i++) {
    parentPort!.postMessage({ type: 'start', index: i } satisfies Msg);
    const result = await runCase(makeCase(job.seed, i, job.base));
    parentPort!.postMessage({ type: 'result', result } satisfies Msg);
  }
  parentPort!.postMessage({ type: 'done' } satisfies Msg);
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<number> {
  const seed = Number(arg('seed', '1'));
  const cases = Number(arg('cases', '10000'));
  const hangMs = Number(arg('hang-ms', '30000'));
  const only = arg('only');
  const base = readFileSync(arg('base', join(process.cwd(), 'environments.yaml'))!, 'utf8');
  if (only !== undefined) {
    const c = makeCase(seed, Number(only), base);
    const out = arg('write');
    if (out) writeFileSync(out, c.bytes);
    const r = await runCase(c);
    process.stdout.write(
      `${JSON.stringify({ ...r, kind: c.kind, expect: c.expect, written: out ?? null })}\n`,
    );
    return ['compiled', 'refused-located'].includes(r.outcome) ? 0 : 1;
  }
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const failures: Result[] = [];
  const t0 = Date.now();
  let next = 0;
  const record = (r: Result) => {
    counts[r.outcome]++;
    if (r.outcome !== 'compiled' && r.outcome !== 'refused-located') failures.push(r);
  };
  while (next < cases) {
    await new Promise<void>((resolve) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { seed, from: next, to: cases, base } });
      let current = next;
      let started = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - started > hangMs) {
          clearInterval(watchdog);
          record({
            index: current,
            op: OPERATORS[current % OPERATORS.length]!.op,
            outcome: 'hang',
            ms: Date.now() - started,
          });
          next = current + 1;
          void w.terminate().then(() => resolve());
        }
      }, 250);
      w.on('message', (m: Msg) => {
        if (m.type === 'start') {
          current = m.index;
          started = Date.now();
          if (m.index % 1000 === 0 && m.index > 0)
            process.stderr.write(`  ${m.index}/${cases} (${Math.round((Date.now() - t0) / 1000)} s)\n`);
        } else if (m.type === 'result') {
          record(m.result);
          next = m.result.index + 1;
        } else {
          clearInterval(watchdog);
          void w.terminate().then(() => resolve());
        }
      });
      w.on('error', (err) => {
        clearInterval(watchdog);
        record({
          index: current,
          op: OPERATORS[current % OPERATORS.length]!.op,
          outcome: 'crash',
          ms: 0,
          detail: err.message,
        });
        next = current + 1;
        resolve();
      });
    });
  }
  const summary = { seed, cases, seconds: Math.round((Date.now() - t0) / 1000), counts, failures };
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(
      `envc fuzz: seed ${seed}, ${cases} mutations (${OPERATORS.length} operators), ${summary.seconds} s\n`,
    );
    for (const o of OUTCOMES) process.stdout.write(`  ${o.padEnd(16)} ${counts[o]}\n`);
    for (const f of failures.slice(0, 50))
      process.stdout.write(
        `  ${f.outcome} #${f.index} ${f.op}: ${f.detail ?? ''}  (npm run fuzz -- --seed ${seed} --only ${f.index} --write case.yaml)\n`,
      );
  }
  return failures.length === 0 ? 0 : 1;
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`fuzz: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
} else {
  void worker(workerData as Job);
}
