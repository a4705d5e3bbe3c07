import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { hasErrors } from '../../src/compiler/diagnostics/diagnostic.js';
import { compileText, decodeSpec } from '../../src/compiler/pipeline.js';
import type { FuzzCase } from './mutations.js';

export type Outcome = 'compiled' | 'refused-located' | 'crash' | 'hang' | 'unlocated' | 'wrong-accept';
export const OUTCOMES: readonly Outcome[] = [
  'compiled',
  'refused-located',
  'crash',
  'hang',
  'unlocated',
  'wrong-accept',
];

export interface Result {
  index: number;
  op: string;
  outcome: Outcome;
  ms: number;
  detail?: string;
}

/** Codes about the file as a whole, where 1:1 is the honest location. */
const FILE_LEVEL = new Set(['ENVC0003', 'ENVC0004', 'ENVC0007', 'ENVC0008', 'ENVC0009']);

/**
 * A diagnostic is located when it has a line and column, and 1:1 only where that is the truth: a file-level
 * code, a finding about the top level itself, or about `apiVersion` (the base spec's first line).
 */
function unlocated(d: Diagnostic): boolean {
  if (typeof d.line !== 'number' || typeof d.column !== 'number' || d.line < 1 || d.column < 1) return true;
  if (d.line !== 1 || d.column !== 1 || FILE_LEVEL.has(d.code)) return false;
  const path = d.path ?? '';
  return !(path === '' || path.startsWith('apiVersion') || /top level/.test(d.message));
}

/** Runs one case through decode → load → validate → normalize → rules → emit, in this process. */
export async function runCase(c: FuzzCase, today = '2026-06-01'): Promise<Result> {
  const t0 = performance.now();
  const done = (outcome: Outcome, detail?: string): Result => ({
    index: c.index,
    op: c.op,
    outcome,
    ms: Math.round(performance.now() - t0),
    ...(detail ? { detail } : {}),
  });
  try {
    const decoded = decodeSpec(c.bytes, 'environments.yaml');
    const result =
      decoded.text === undefined
        ? { diagnostics: decoded.diagnostics, files: [] }
        : await compileText(decoded.text, 'environments.yaml', { today });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const crashed = result.diagnostics.find((d) => d.code === 'ENVC2099' || d.code === 'ENVC3001');
    if (crashed) return done('crash', `${crashed.code} ${crashed.message}`);
    const bad = errors.find(unlocated);
    if (bad) return done('unlocated', `${bad.code} ${bad.line}:${bad.column} ${bad.message}`);
    if (hasErrors(result.diagnostics) || result.files.length === 0) {
      if (errors.length === 0) return done('unlocated', 'refused without an error diagnostic');
      return done('refused-located');
    }
    if (c.expect === 'refuse') return done('wrong-accept', 'compiled a spec the mutation made invalid');
    const inputHasFffd = Buffer.from(c.bytes).includes(Buffer.from('\ufffd', 'utf8'));
    const fffd = result.files.find((f) => String(f.content).includes('\ufffd'));
    if (fffd && !inputHasFffd) return done('wrong-accept', `U+FFFD in ${fffd.path}`);
    return done('compiled');
  } catch (err) {
    return done('crash', (err as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(err));
  }
}
