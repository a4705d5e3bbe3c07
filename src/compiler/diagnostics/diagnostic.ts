/**
 * A diagnostic is a value, never a thrown string. Every stage returns them; only the CLI prints them.
 * Code ranges by stage: 0xxx load/syntax, 1xxx schema, 2xxx policy rules, 3xxx emit/write, 4xxx runner,
 * 5xxx bot, 6xxx integrations.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface SourceSpan {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic extends Partial<SourceSpan> {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  /** Dotted spec path of the offending value, e.g. `environments.production.cluster.pools[1]`. */
  path?: string;
  /** Relative link to the rule or code's documentation page. */
  docs?: string;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Stable order: file, line, column, code — so output is deterministic and diffs are reviewable. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** Path segments → `environments.production.cluster.pools[1]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A diagnostic at a model origin (the spec line a rule or a whole-platform check reports at), with its docs page. */
export function diagnosticAt(
  origin: { file: string; line?: number; column?: number; path?: Diagnostic['path'] },
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  hint?: string,
): Diagnostic {
  return {
    code,
    severity,
    message,
    file: origin.file,
    line: origin.line,
    column: origin.column,
    path: origin.path,
    docs: `docs/rules/${code}.md`,
    ...(hint ? { hint } : {}),
  };
}
