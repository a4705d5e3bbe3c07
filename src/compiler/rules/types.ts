import type { PriceCatalogue } from '../../cost/catalogue.js';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { Model, Origin } from '../model.js';

/** What a rule may know besides the model: today's date (for waiver expiry) comes in, never from the clock. */
export interface RuleContext {
  /** ISO date (YYYY-MM-DD) the check runs on. */
  today: string;
  /**
   * The price catalogue, read only when a rule needs it (ENVC2025, when an environment sets a budget);
   * undefined or returning undefined: prices are not available and price rules stay silent.
   */
  prices?: () => PriceCatalogue | undefined;
}

/**
 * A policy rule: a pure function of the model that reports findings. Every rule has a code (ENVC2nnn), a doc
 * page at docs/rules/<code>.md and tests beside it.
 */
export interface Rule {
  code: string;
  /** Short name, e.g. `production-ha-control-plane`. */
  name: string;
  /** One line saying what the rule requires. */
  title: string;
  severity: Severity;
  check(model: Model, ctx: RuleContext): Finding[];
}

/** A finding is a diagnostic before the rule's code/severity/docs are attached. */
export interface Finding {
  origin: Origin;
  message: string;
  hint?: string;
  /** Below the rule's severity when the rule grades its findings (ENVC2005: over-commit is a warning). */
  severity?: Severity;
}

export function toDiagnostic(rule: Rule, f: Finding): Diagnostic {
  return {
    code: rule.code,
    severity: f.severity ?? rule.severity,
    message: f.message,
    file: f.origin.file,
    line: f.origin.line,
    column: f.origin.column,
    path: f.origin.path,
    docs: `docs/rules/${rule.code}.md`,
    ...(f.hint ? { hint: f.hint } : {}),
  };
}
