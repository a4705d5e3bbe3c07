import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { Style } from './output.js';

/**
 * Compiler-style rendering:
 *
 *   error[ENVC1201]: access policy "prod-view" names unknown environment "prod"
 *     --> environments.yaml:88:20
 *      |
 *   88 |     environments: [prod]
 *      |                    ^^^^
 *      = hint: known environments: ... — did you mean "production"?
 *      = docs: docs/rules/ENVC1201.md
 */
export function renderDiagnostic(d: Diagnostic, sourceText: string | undefined, s: Style): string {
  const colour = d.severity === 'error' ? s.red : d.severity === 'warning' ? s.yellow : s.cyan;
  const lines = [`${s.bold(colour(`${d.severity}[${d.code}]`))}${s.bold(`: ${d.message}`)}`];
  if (d.file) {
    const loc = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
    const gutter = String(d.line ?? '').length;
    const pad = ' '.repeat(gutter);
    lines.push(`${pad}${s.cyan('-->')} ${loc}`);
    const src = d.line && sourceText !== undefined ? sourceText.split('\n')[d.line - 1] : undefined;
    if (src !== undefined) {
      const text = src.replace(/\t/g, ' ').replace(/\r$/, '');
      const col = Math.max(1, d.column ?? 1);
      const width =
        d.endLine === d.line && d.endColumn && d.endColumn > col ? d.endColumn - col : tokenWidth(text, col);
      lines.push(`${pad} ${s.cyan('|')}`);
      lines.push(
        `${s.cyan(String(d.line))} ${s.cyan('|')} ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`,
      );
      lines.push(
        `${pad} ${s.cyan('|')} ${' '.repeat(col - 1)}${colour('^'.repeat(Math.max(1, Math.min(width, 120))))}`,
      );
    }
    if (d.hint) lines.push(`${pad} ${s.cyan('=')} hint: ${d.hint}`);
    if (d.docs) lines.push(`${pad} ${s.cyan('=')} docs: ${d.docs}`);
  } else {
    if (d.hint) lines.push(`  = hint: ${d.hint}`);
    if (d.docs) lines.push(`  = docs: ${d.docs}`);
  }
  return lines.join('\n');
}

/** Width of the token starting at col (a word, a quoted string or a flow collection's first item). */
function tokenWidth(line: string, col: number): number {
  const rest = line.slice(col - 1);
  const m = /^("[^"]*"|'[^']*'|[^\s,\]}#]+)/.exec(rest);
  return m ? m[0].length : 1;
}

export function renderDiagnostics(
  diags: readonly Diagnostic[],
  sourceText: string | undefined,
  s: Style,
): string {
  if (diags.length === 0) return '';
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  const body = diags.map((d) => renderDiagnostic(d, sourceText, s)).join('\n\n');
  const summary = [
    errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${body}\n\n${summary ? `${s.bold(summary)}\n` : ''}`;
}

/** One line per diagnostic, `file:line:col severity CODE message`, for grep and editors. */
export function renderShort(d: Diagnostic): string {
  return `${d.file ?? '-'}:${d.line ?? 0}:${d.column ?? 0} ${d.severity} ${d.code} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}
