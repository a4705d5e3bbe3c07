import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import type { SpecSource } from '../load.js';
import type { Origin, Quantity, ResourcePair, Spec } from '../model.js';
import { parseCpu, parseMemory } from '../quantities.js';

/** One step of a path into the spec: a mapping key or a sequence index. */
export type Seg = string | number;
/** Where a spec path is written; `key` locates the key rather than its value. */
export type OriginFn = (segs: Seg[], key?: boolean) => Origin;
/** Records an error located at the value of `segs` (a reference, a name...). */
export type RefErrorFn = (code: string, segs: Seg[], message: string, hint?: string) => void;

/**
 * What every normalization step shares: the spec, its environment names, and the located-diagnostic helpers.
 * Steps report through `refError`/`diagnostics`; none throws.
 */
export interface NormalizeContext {
  readonly spec: Spec;
  readonly envNames: string[];
  /** Environment names `all` expands to (every tier but `system`). */
  readonly appEnvNames: string[];
  readonly diagnostics: Diagnostic[];
  readonly origin: OriginFn;
  readonly refError: RefErrorFn;
}

export function createContext(source: SpecSource): NormalizeContext {
  const spec = source.data as Spec;
  const diagnostics: Diagnostic[] = [];
  const origin: OriginFn = (segs, key = typeof segs[segs.length - 1] === 'string') => {
    const span = source.locate(segs, key);
    return { path: formatPath(segs), file: span.file, line: span.line, column: span.column };
  };
  const refError: RefErrorFn = (code, segs, message, hint) => {
    const o = origin(segs, false);
    diagnostics.push({
      code,
      severity: 'error',
      message,
      file: o.file,
      line: o.line,
      column: o.column,
      path: o.path,
      ...(hint ? { hint } : {}),
    });
  };
  const envNames = Object.keys(spec.environments);
  const appEnvNames = envNames.filter((n) => spec.environments[n]!.tier !== 'system');
  return { spec, envNames, appEnvNames, diagnostics, origin, refError };
}

function knownEnvs(ctx: NormalizeContext): string {
  return `known environments: ${ctx.envNames.join(', ')}`;
}

/** Resolves an `environments:` list (with `all`) and reports unknown names. */
export function resolveEnvList(
  ctx: NormalizeContext,
  list: string[],
  at: Seg[],
  code: string,
  what: string,
): string[] {
  const out = new Set<string>();
  list.forEach((name, i) => {
    if (name === 'all') {
      for (const n of ctx.appEnvNames) out.add(n);
    } else if (ctx.spec.environments[name]) out.add(name);
    else {
      const s = suggest(name, ctx.envNames);
      ctx.refError(
        code,
        [...at, i],
        `${what} names unknown environment ${JSON.stringify(name)}`,
        `${knownEnvs(ctx)}${s ? ` — did you mean "${s}"?` : ''}`,
      );
    }
  });
  return ctx.envNames.filter((n) => out.has(n));
}

/** Reports keys of a per-environment map that name no environment (located at the key). */
export function checkEnvKeys(
  ctx: NormalizeContext,
  map: Record<string, unknown> | undefined,
  at: Seg[],
  code: string,
  what: string,
  allowDefault: boolean,
): void {
  for (const key of Object.keys(map ?? {})) {
    if (allowDefault && key === 'default') continue;
    if (!ctx.spec.environments[key]) {
      const s = suggest(key, ctx.envNames);
      const o = ctx.origin([...at, key], true);
      ctx.diagnostics.push({
        code,
        severity: 'error',
        message: `${what} for unknown environment ${JSON.stringify(key)}`,
        file: o.file,
        line: o.line,
        column: o.column,
        path: o.path,
        hint: `${allowDefault ? 'use "default" or ' : ''}${knownEnvs(ctx)}${s ? ` — did you mean "${s}"?` : ''}`,
      });
    }
  }
}

/** ENVC1209 for a name declared twice in one list, located at the second `name`. */
export function checkDuplicates(ctx: NormalizeContext, names: string[], at: Seg[], what: string): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (seen.has(n))
      ctx.refError(
        'ENVC1209',
        [...at, i, 'name'],
        `${what} ${JSON.stringify(n)} is declared twice (also at ${formatPath([...at, seen.get(n)!])})`,
        'names must be unique; rename or merge one of them',
      );
    else seen.set(n, i);
  });
}

/** `2027-02-30` matches the schema's pattern but is no day of the calendar. */
export function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function qty(text: string, kind: 'cpu' | 'memory'): Quantity {
  return { text, value: (kind === 'cpu' ? parseCpu(text) : parseMemory(text)) ?? 0 };
}

export function pair(r: { cpu: string; memory: string }): ResourcePair {
  return { cpu: qty(r.cpu, 'cpu'), memory: qty(r.memory, 'memory') };
}
