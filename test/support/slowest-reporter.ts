/**
 * Prints the slowest test files after a run (issue 13: the suite must stay within 8 minutes on a 2-core
 * machine; this says where the time goes). Durations are vitest's own per-module figures: import + tests.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const SHOW = Number(process.env.ENVC_TEST_SLOWEST ?? 10);

export default class SlowestFiles implements Reporter {
  private started = 0;

  onTestRunStart(): void {
    this.started = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length < 2 || SHOW <= 0) return;
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        return { file: relative(process.cwd(), m.moduleId), ms: d.collectDuration + d.duration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOW);
    const wall = (performance.now() - this.started) / 1000;
    const lines = rows.map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}`);
    process.stdout.write(
      `\nslowest ${rows.length} of ${modules.length} test files (wall time ${wall.toFixed(0)} s):\n${lines.join('\n')}\n`,
    );
  }
}
