import type { Diagnostic, SourceSpan } from './diagnostics/diagnostic.js';

/**
 * Resource limits on a spec. Each bounds the WORK envc does, not only the bytes it reads: parsing is linear
 * in nodes, validation and normalization in keys, and emitting in services × environments. A real platform
 * spec is far below every limit (the shipped one: ~300 lines, 4 environments, a handful of services).
 * docs/errors.md has the table; test/e2e/limits.test.ts exercises each limit.
 */
export const LIMITS = {
  /** ENVC0003: bytes read. */
  maxBytes: 5 * 1024 * 1024,
  /** ENVC0005: nesting of mappings and lists (the schema needs ~8). */
  maxDepth: 64,
  /** ENVC0006: alias expansions (an "alias bomb" multiplies a small file into a huge one). */
  maxAliasCount: 100,
  /** ENVC0011: YAML nodes (keys, values, list items) — bounds validation and normalization. */
  maxNodes: 20_000,
  /** ENVC0012: environments (each is a cluster; emitting is linear in environments × services). */
  maxEnvironments: 32,
  /** ENVC0013: services. */
  maxServices: 300,
} as const;

type Locate = (path: ReadonlyArray<string | number>, key?: boolean) => SourceSpan;

function at(code: string, span: SourceSpan, message: string, hint: string, path: string): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    file: span.file,
    line: span.line,
    column: span.column,
    path,
    hint,
  };
}

/** Environment and service counts, located at the first entry over the limit. */
export function checkCounts(data: unknown, locate: Locate): Diagnostic[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const d = data as { environments?: unknown; services?: unknown };
  const out: Diagnostic[] = [];
  if (d.environments && typeof d.environments === 'object' && !Array.isArray(d.environments)) {
    const names = Object.keys(d.environments);
    if (names.length > LIMITS.maxEnvironments) {
      const first = names[LIMITS.maxEnvironments]!;
      out.push(
        at(
          'ENVC0012',
          locate(['environments', first], true),
          `the spec declares ${names.length} environments; envc compiles at most ${LIMITS.maxEnvironments}`,
          'each environment is a cluster; split the platform into several specs',
          `environments.${first}`,
        ),
      );
    }
  }
  if (Array.isArray(d.services) && d.services.length > LIMITS.maxServices) {
    out.push(
      at(
        'ENVC0013',
        locate(['services', LIMITS.maxServices]),
        `the spec declares ${d.services.length} services; envc compiles at most ${LIMITS.maxServices}`,
        'app teams can deploy their own manifests into the namespaces envc makes (see `envc traffic --manifests`)',
        `services[${LIMITS.maxServices}]`,
      ),
    );
  }
  return out;
}

/**
 * Offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and code points above
 * U+10FFFF included), or -1. Node's decoder would silently turn such bytes into U+FFFD.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [n, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [n, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [n, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
