import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { formatPath } from './diagnostics/diagnostic.js';
import { suggest } from './diagnostics/suggest.js';
import type { SpecSource } from './load.js';
import { packagePath } from './package-root.js';
// Precompiled from the schema at development time (scripts/gen-validator.mjs): compiling it with ajv on
// every run would cost ~200 ms. A test keeps it in step with the schema.
import { validate as validator } from './schema-validator.generated.js';

let schemaCache: Record<string, unknown> | undefined;

export function specSchema(): Record<string, unknown> {
  schemaCache ??= JSON.parse(readFileSync(packagePath('schemas/environments.schema.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return schemaCache;
}

/** Validates the parsed spec against the JSON Schema; every error becomes a located diagnostic (ENVC1xxx). */
export function validateSpec(source: SpecSource): Diagnostic[] {
  const validate = validator;
  if (validate(source.data)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const d = toDiagnostic(e, source);
    if (!d) continue;
    const key = `${d.code}:${d.line}:${d.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function pathOf(instancePath: string, data: unknown): Array<string | number> {
  const segs: Array<string | number> = [];
  let cur: unknown = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      segs.push(i);
      cur = cur[i];
    } else {
      segs.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return segs;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function where(segs: ReadonlyArray<string | number>): string {
  return segs.length === 0 ? 'the top level' : formatPath(segs);
}

function describe(e: ErrorObject): string | undefined {
  const d = (e.parentSchema as { description?: string } | undefined)?.description;
  return d ? d.replace(/\.$/, '') : undefined;
}

function toDiagnostic(e: ErrorObject, source: SpecSource): Diagnostic | undefined {
  const segs = pathOf(e.instancePath, source.data);
  const at = (p: ReadonlyArray<string | number>, key = false) => {
    const span = source.locate(p, key);
    return { file: span.file, line: span.line, column: span.column, path: formatPath(p) };
  };
  const base = (
    code: string,
    message: string,
    p: ReadonlyArray<string | number>,
    key: boolean,
    hint?: string,
  ): Diagnostic => ({
    code,
    severity: 'error',
    message,
    ...at(p, key),
    ...(hint ? { hint } : {}),
    docs: `docs/reference/environments.md`,
  });
  // Errors about a mapping key (propertyNames) carry the offending name.
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  // ajv reports a bad map key twice: the inner error (with propertyName) and an outer `propertyNames` one.
  if (e.keyword === 'propertyNames') return undefined;
  if (propertyName !== undefined) {
    return base(
      'ENVC1009',
      `invalid name ${show(propertyName)} in ${where(segs)}`,
      [...segs, propertyName],
      true,
      'names are lowercase letters, digits and "-", starting with a letter (at most 63 characters)',
    );
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {},
      );
      const s = suggest(extra, known);
      return base(
        'ENVC1001',
        `unknown key ${show(extra)} in ${where(segs)}`,
        [...segs, extra],
        true,
        s ? `did you mean "${s}"?` : known.length ? `known keys: ${known.join(', ')}` : undefined,
      );
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return base(
        'ENVC1002',
        `missing required key ${show(missing)} in ${where(segs)}`,
        segs,
        true,
        `add \`${missing}:\` here; see the reference for its meaning`,
      );
    }
    case 'type': {
      const want = String((e.params as { type: string }).type);
      const got =
        e.data === null
          ? 'null'
          : Array.isArray(e.data)
            ? 'a list'
            : typeof e.data === 'object'
              ? 'a mapping'
              : `${typeof e.data} ${show(e.data)}`;
      const hint =
        want === 'string' && typeof e.data === 'number' ? 'quote the value, e.g. "1.33"' : undefined;
      return base('ENVC1003', `${where(segs)} must be ${article(want)}, got ${got}`, segs, false, hint);
    }
    case 'enum':
    case 'const': {
      const allowed =
        e.keyword === 'const'
          ? [(e.params as { allowedValue: unknown }).allowedValue]
          : (e.params as { allowedValues: unknown[] }).allowedValues;
      const s = typeof e.data === 'string' ? suggest(e.data, allowed.map(String)) : undefined;
      return base(
        'ENVC1004',
        `${show(e.data)} is not allowed for ${where(segs)}`,
        segs,
        false,
        `${s ? `did you mean ${show(s)}? ` : ''}allowed: ${allowed.map((a) => show(a)).join(', ')}`,
      );
    }
    case 'pattern': {
      const what = describe(e);
      const ex = (e.parentSchema as { examples?: unknown[] } | undefined)?.examples;
      return base(
        'ENVC1005',
        `${show(e.data)} is not valid for ${where(segs)}${what ? `: expected ${lowerFirst(what)}` : ''}`,
        segs,
        false,
        ex?.length ? `for example: ${ex.map((x) => show(x)).join(', ')}` : undefined,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const p = e.params as { comparison: string; limit: number };
      return base(
        'ENVC1006',
        `${where(segs)} is ${show(e.data)}, must be ${p.comparison} ${p.limit}`,
        segs,
        false,
      );
    }
    case 'format':
      return base(
        'ENVC1008',
        `${show(e.data)} is not a valid ${(e.params as { format: string }).format} for ${where(segs)}`,
        segs,
        false,
        'dates are written YYYY-MM-DD',
      );
    case 'uniqueItems': {
      const p = e.params as { i: number; j: number };
      return base(
        'ENVC1007',
        `${where(segs)} lists the same value twice (items ${p.j} and ${p.i})`,
        [...segs, p.i],
        false,
        'remove the duplicate',
      );
    }
    default:
      return base('ENVC1007', `${where(segs)} ${e.message ?? 'is invalid'}`, segs, false);
  }
}

function article(t: string): string {
  const word = t === 'object' ? 'mapping' : t === 'array' ? 'list' : t;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
