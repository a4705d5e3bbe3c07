import { basename, dirname, relative, sep } from 'node:path';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import { compileSpec } from '../../compiler/pipeline.js';
import { diffTree, isEmptyDiff, writeTree } from '../../compiler/write.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatOf, formatOption, outDirOf, outOption, printDiagnostics, specPathOf } from '../spec-args.js';

export const command: CommandSpec = {
  name: 'compile',
  summary: 'compile environments.yaml into generated/ (--check: fail when stale)',
  usage: 'envc compile [FILE] [--out DIR] [--check] [--format text|json|sarif]',
  description: `Runs load → validate → normalize → check → emit → verify and writes generated/ (beside FILE
unless --out). verify is \`envc verify\`: the platform as a whole must come up from an empty account and
every flow it needs must pass every layer. The tree is replaced atomically and deterministically: the same
input gives byte-identical output, and files envc does not own (not listed in generated/manifest.json) are
never touched. Nothing is written when any error is found.

--check writes nothing: it exits 1 and lists the stale files when generated/ is out of date (for CI).

Examples:
  envc compile
  envc compile --check          # in CI: refuse a stale generated/`,
  maxPositionals: 1,
  options: {
    ...formatOption,
    ...outOption,
    check: {
      type: 'boolean',
      description: 'write nothing; exit 1 listing stale files when generated/ is out of date',
    },
  },
  async run(ctx) {
    const format = formatOf(ctx);
    const spec = specPathOf(ctx);
    const outDir = outDirOf(ctx, spec.path);
    const outDisplay = relative(ctx.cwd, outDir) || '.';
    if (ctx.isTTY) ctx.progress(ctx.errStyle.dim(`compiling ${spec.display}`));
    // Recorded in manifest.json relative to the output's parent, so the tree does not depend on the cwd.
    const sourceName = relative(dirname(outDir), spec.path).split(sep).join('/');
    // The whole-platform check runs too (issue 11): a platform that would not come up is not written.
    const result = await compileSpec(spec.path, { displayName: spec.display, sourceName, verify: true });
    if (!result.model || hasErrors(result.diagnostics)) {
      const out = await printDiagnostics(ctx, format, result.diagnostics, result.source?.text, {
        file: spec.display,
      });
      return { exitCode: ExitCode.Findings, ...out };
    }
    const warnings = await printDiagnostics(
      ctx,
      format === 'text' ? 'text' : format,
      result.diagnostics,
      result.source?.text,
    );
    // CI workflows derived from the spec (issue 13): kept in step when the repository has them.
    const { staleWorkflows, writeWorkflows } = await import('../../init/workflow-sync.js');
    const specDir = dirname(spec.path);
    const workflows = await staleWorkflows(specDir, result.model, basename(spec.path));
    if (ctx.flags.check) {
      const d = await diffTree(outDir, result.files);
      const stale = [
        ...d.changed.map((p) => ({ path: p, status: 'changed' })),
        ...d.added.map((p) => ({ path: p, status: 'missing' })),
        ...d.removed.map((p) => ({ path: p, status: 'extra' })),
      ].sort((a, b) => a.path.localeCompare(b.path));
      const staleCi = (workflows ?? []).map((w) => ({ path: w.path, status: w.status }));
      if (format === 'json') {
        const ok = stale.length === 0 && staleCi.length === 0;
        return {
          exitCode: ok ? ExitCode.Ok : ExitCode.Findings,
          stdout: `${JSON.stringify({ ok, outDir: outDisplay, stale, staleWorkflows: staleCi, diagnostics: result.diagnostics }, null, 2)}\n`,
        };
      }
      if (staleCi.length > 0) {
        const lines = staleCi.map((s) => `  ${s.status.padEnd(8)} ${s.path}`);
        const tree = stale.length
          ? ` (and ${outDisplay}/ is stale: ${stale.length} file${stale.length === 1 ? '' : 's'})`
          : '';
        return {
          exitCode: ExitCode.Findings,
          stderr: `${warnings.stderr ?? ''}${ctx.errStyle.red('error')}: CI workflows are stale: ${staleCi.length} differ from what ${spec.display} derives${tree}\n${lines.join('\n')}\nnext: run \`envc compile\` (it rewrites them) and commit .github/workflows/\n`,
        };
      }
      if (stale.length === 0)
        return {
          exitCode: ExitCode.Ok,
          stdout: `${outDisplay}/ is up to date (${result.files.length} files)\n`,
          ...(warnings.stderr ? { stderr: warnings.stderr } : {}),
        };
      const lines = stale.map((s) => `  ${s.status.padEnd(8)} ${outDisplay}/${s.path}`);
      return {
        exitCode: ExitCode.Findings,
        stderr: `${warnings.stderr ?? ''}${ctx.errStyle.red('error')}: ${outDisplay}/ is stale: ${stale.length} file${stale.length === 1 ? '' : 's'} differ from what ${spec.display} compiles to\n${lines.join('\n')}\nhint: run \`envc compile\` and commit ${outDisplay}/ (\`envc diff\` shows the changes)\n`,
      };
    }
    const written = await writeTree(outDir, result.files);
    if (workflows?.length) await writeWorkflows(specDir, workflows);
    const counts = {
      files: result.files.length,
      changed: written.changed.length,
      added: written.added.length,
      removed: written.removed.length,
    };
    if (format === 'json') {
      return {
        exitCode: ExitCode.Ok,
        stdout: `${JSON.stringify({ ok: true, outDir: outDisplay, ...counts, changedFiles: written.changed, addedFiles: written.added, removedFiles: written.removed, diagnostics: result.diagnostics }, null, 2)}\n`,
      };
    }
    const what = isEmptyDiff(written)
      ? 'unchanged'
      : `${counts.changed} changed, ${counts.added} added, ${counts.removed} removed`;
    return {
      exitCode: ExitCode.Ok,
      stdout: `compiled ${spec.display} → ${outDisplay}/ (${counts.files} files: ${what})\n${workflows?.length ? `updated ${workflows.length} CI workflow${workflows.length === 1 ? '' : 's'}: ${workflows.map((w) => w.path).join(', ')}\n` : ''}`,
      ...(warnings.stderr ? { stderr: warnings.stderr } : {}),
    };
  },
};
