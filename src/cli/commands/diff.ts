import { dirname, relative, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import { compileSpec } from '../../compiler/pipeline.js';
import { diffTree } from '../../compiler/write.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatOf, formatOption, outDirOf, outOption, printDiagnostics, specPathOf } from '../spec-args.js';

export const command: CommandSpec = {
  name: 'diff',
  summary: 'show what a compile would change in generated/',
  usage: 'envc diff [FILE] [--out DIR] [--stat] [--json]',
  description: `Compiles in memory and prints a unified diff against generated/ (nothing is written).
Exit code 0 when generated/ is up to date, 2 when a compile would change it (as terraform -detailed-exitcode).`,
  maxPositionals: 1,
  options: {
    ...formatOption,
    ...outOption,
    stat: { type: 'boolean', description: 'list changed files only' },
  },
  async run(ctx) {
    const format = formatOf(ctx);
    const spec = specPathOf(ctx);
    const outDir = outDirOf(ctx, spec.path);
    const outDisplay = relative(ctx.cwd, outDir) || '.';
    const sourceName = relative(dirname(outDir), spec.path).split(sep).join('/');
    const result = await compileSpec(spec.path, { displayName: spec.display, sourceName });
    if (!result.model || hasErrors(result.diagnostics)) {
      return {
        exitCode: ExitCode.Findings,
        ...(await printDiagnostics(ctx, format, result.diagnostics, result.source?.text)),
      };
    }
    const d = await diffTree(outDir, result.files);
    const changes = [
      ...d.changed.map((p) => ({ path: p, status: 'changed' as const })),
      ...d.added.map((p) => ({ path: p, status: 'added' as const })),
      ...d.removed.map((p) => ({ path: p, status: 'removed' as const })),
    ].sort((a, b) => a.path.localeCompare(b.path));
    const exitCode = changes.length ? ExitCode.Changes : ExitCode.Ok;
    if (format === 'json')
      return { exitCode, stdout: `${JSON.stringify({ outDir: outDisplay, changes }, null, 2)}\n` };
    if (changes.length === 0) return { exitCode, stdout: `${outDisplay}/ is up to date\n` };
    if (ctx.flags.stat)
      return {
        exitCode,
        stdout: `${changes.map((c) => `${c.status.padEnd(8)} ${outDisplay}/${c.path}`).join('\n')}\n`,
      };
    const wanted = new Map(result.files.map((f) => [f.path, f.content]));
    const s = ctx.style;
    const patches = changes.map((c) => {
      const before = d.before.get(c.path) ?? '';
      const after = wanted.get(c.path) ?? '';
      const patch = createTwoFilesPatch(
        c.status === 'added' ? '/dev/null' : `a/${outDisplay}/${c.path}`,
        c.status === 'removed' ? '/dev/null' : `b/${outDisplay}/${c.path}`,
        before,
        after,
        '',
        '',
        { context: 3 },
      );
      return patch
        .split('\n')
        .filter((l) => !l.startsWith('====='))
        .map((l) =>
          l.startsWith('+') && !l.startsWith('+++')
            ? s.green(l)
            : l.startsWith('-') && !l.startsWith('---')
              ? s.red(l)
              : l.startsWith('@@')
                ? s.cyan(l)
                : l,
        )
        .join('\n');
    });
    return { exitCode, stdout: `${patches.join('\n')}\n` };
  },
};
