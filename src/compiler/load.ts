import { createHash } from 'node:crypto';
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
} from 'yaml';
import type { Diagnostic, SourceSpan } from './diagnostics/diagnostic.js';
import { formatPath } from './diagnostics/diagnostic.js';
import { checkCounts, firstInvalidUtf8, LIMITS } from './limits.js';

/** Largest spec envc reads; a real platform file is a few hundred KB at most. */
export const MAX_SPEC_BYTES = LIMITS.maxBytes;
/** Deepest nesting allowed; the schema itself needs ~8 levels. */
export const MAX_DEPTH = LIMITS.maxDepth;
/** Alias expansions allowed before a document counts as an alias bomb. */
export const MAX_ALIAS_COUNT = LIMITS.maxAliasCount;
/** YAML nodes allowed: bounds the work of validation and normalization, not only the bytes. */
export const MAX_NODES = LIMITS.maxNodes;

/** A parsed spec: the data, and a way back from any spec path to file:line:column. */
export interface SpecSource {
  file: string;
  text: string;
  digest: string;
  data: unknown;
  /** Position of the value at `path` (or of its key when `key` is true); falls back to the nearest parent. */
  locate(path: ReadonlyArray<string | number>, key?: boolean): SourceSpan;
}

export interface LoadResult {
  source?: SpecSource;
  diagnostics: Diagnostic[];
}

function diag(
  code: string,
  file: string,
  message: string,
  hint?: string,
  span?: Partial<SourceSpan>,
): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    file,
    line: span?.line ?? 1,
    column: span?.column ?? 1,
    ...(hint ? { hint } : {}),
  };
}

/**
 * Parses the spec text. Never throws: a YAML syntax error, duplicate key, empty file, oversized file, deep
 * nesting or alias bomb becomes a diagnostic with a position.
 */
export function loadSpec(file: string, text: string): LoadResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SPEC_BYTES) {
    return {
      diagnostics: [
        diag(
          'ENVC0003',
          file,
          `file is ${(bytes / 1024 / 1024).toFixed(1)} MB; envc reads specs of at most ${MAX_SPEC_BYTES / 1024 / 1024} MB`,
          'is this the right file? a platform spec is usually well under 1 MB',
        ),
      ],
    };
  }
  if (text.trim() === '' || /^\s*(#[^\n]*)?(\n\s*(#[^\n]*)?)*$/.test(text)) {
    return {
      diagnostics: [
        diag('ENVC0004', file, 'file is empty', 'run `envc init` to scaffold a spec, or check the path'),
      ],
    };
  }
  const lineCounter = new LineCounter();
  const deepAt = bracketDepth(text);
  if (deepAt >= 0) {
    const before = text.slice(0, deepAt);
    const line = before.split('\n').length;
    return { diagnostics: [tooDeep(file, { line, column: deepAt - before.lastIndexOf('\n') })] };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      // Checked in walkNodes instead: the parser's own check compares every key with every other (quadratic).
      uniqueKeys: false,
      prettyErrors: false,
      strict: true,
      keepSourceTokens: false,
    });
  } catch (err) {
    // The parser is not expected to throw, but a pathological input must still end as a diagnostic.
    return { diagnostics: [diag('ENVC0001', file, `cannot parse YAML: ${(err as Error).message}`)] };
  }
  const pos = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const diagnostics: Diagnostic[] = [];
  const syntax = doc.errors;
  if (syntax.length > 0) {
    // After the first syntax error the parser's view of the structure is off, and what follows is mostly
    // noise (one tab can yield a dozen errors, including bogus duplicate keys): report the first only.
    const e = syntax[0]!;
    const at = pos(e.pos[0]);
    const tab = /tab/i.test(e.message);
    const more = doc.errors.length - 1;
    diagnostics.push(
      diag(
        'ENVC0001',
        file,
        `YAML syntax error: ${lowerFirst(firstLine(e.message).replace(/\.$/, ''))}`,
        `${tab ? 'YAML indentation must use spaces, not tabs' : 'check indentation and quoting on this line'}${more > 0 ? ` (${more} follow-on error${more === 1 ? '' : 's'} not shown; fix this one first)` : ''}`,
        at,
      ),
    );
  }
  if (diagnostics.length > 0) return { diagnostics };
  if (
    doc.contents === null ||
    (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))
  ) {
    return {
      diagnostics: [
        diag('ENVC0004', file, 'file is empty', 'run `envc init` to scaffold a spec, or check the path'),
      ],
    };
  }
  const walked = walkNodes(doc.contents as Node);
  if (walked.tooDeep) {
    return { diagnostics: [tooDeep(file, pos(walked.tooDeep.range?.[0] ?? 0))] };
  }
  if (walked.tooMany) {
    return {
      diagnostics: [
        diag(
          'ENVC0011',
          file,
          `document has more than ${MAX_NODES} YAML nodes (keys, values and list items)`,
          'a platform spec has a few thousand; check for a generated or corrupted file',
          pos(walked.tooMany.range?.[0] ?? 0),
        ),
      ],
    };
  }
  if (walked.duplicates.length > 0) {
    return {
      diagnostics: walked.duplicates.map((k) =>
        diag(
          'ENVC0002',
          file,
          `duplicate key ${JSON.stringify(String(k.value))}`,
          'each key may appear once in a mapping; merge the two entries',
          pos(k.range?.[0] ?? 0),
        ),
      ),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = (err as Error).message;
    if (/alias/i.test(msg)) {
      return {
        diagnostics: [
          diag(
            'ENVC0006',
            file,
            `document expands too many aliases (more than ${MAX_ALIAS_COUNT})`,
            'anchors and aliases may repeat small blocks; a document that multiplies them is rejected',
            findAlias(text, pos),
          ),
        ],
      };
    }
    return { diagnostics: [diag('ENVC0001', file, `cannot read YAML: ${firstLine(msg)}`)] };
  }
  const root = doc.contents as Node;
  const locate = (path: ReadonlyArray<string | number>, key = false): SourceSpan => {
    let node: Node | null = root;
    let keyNode: Node | null = null;
    for (const seg of path) {
      let next: Node | null = null;
      if (isMap(node)) {
        const found = findPair(node, seg, doc, 0);
        if (found) {
          keyNode = found.key as Node;
          next = (found.value as Node | null) ?? (found.key as Node);
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = (node.items[seg] as Node | undefined) ?? null;
        keyNode = null;
      }
      if (!next) break;
      node = next;
    }
    const target = key && keyNode ? keyNode : node;
    const range = target?.range ?? root.range ?? [0, 0, 0];
    const start = pos(range[0]);
    const end = pos(range[1]);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  const counts = checkCounts(data, locate);
  if (counts.length > 0) return { diagnostics: counts };
  return {
    source: { file, text, digest: createHash('sha256').update(text).digest('hex'), data, locate },
    diagnostics: [],
  };
}

function tooDeep(file: string, at: { line: number; column: number }): Diagnostic {
  return diag(
    'ENVC0005',
    file,
    `document nests deeper than ${MAX_DEPTH} levels`,
    'a spec needs about 8 levels; check for a generated or corrupted file',
    at,
  );
}

type YamlMap = Extract<Node, { items: unknown[] }> & { items: unknown[] };

/**
 * The pair for `seg` in a mapping, looking through merge keys (`<<: *base`) the way toJS() does, so a value
 * that came from an anchor is located at the anchor's text rather than at the top of the file.
 */
function findPair(
  map: YamlMap,
  seg: string | number,
  doc: Document.Parsed,
  hops: number,
): { key: unknown; value: unknown } | undefined {
  const merges: unknown[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (jsKey(item.key) === String(seg)) return item;
    if (isScalar(item.key) && item.key.value === '<<') merges.push(item.value);
  }
  if (hops > 8) return undefined;
  for (const m of merges.flatMap((v) => (isSeq(v) ? v.items : [v]))) {
    const target = isAlias(m) ? m.resolve(doc) : m;
    if (isMap(target)) {
      const found = findPair(target as YamlMap, seg, doc, hops + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** A key as toJS() writes it into an object: `~:` becomes "", a `? [a, b]` key its YAML text. */
function jsKey(key: unknown): string {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return key == null ? '' : String(key);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/**
 * Flow-collection nesting ([[[[...) can blow the parser's stack before any node exists; count it first.
 * Returns the offset of the bracket that goes too deep, or -1.
 */
function bracketDepth(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\n') quote = null;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > MAX_DEPTH) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return -1;
}

/**
 * Walks the node tree once: the first node nested too deep, the node past the node-count limit, and every
 * key repeated within its mapping (merge keys aside).
 */
function walkNodes(root: Node): { tooDeep?: Node; tooMany?: Node; duplicates: Scalar[] } {
  let count = 0;
  const duplicates: Scalar[] = [];
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > MAX_DEPTH) return { tooDeep: n as Node, duplicates };
    if (++count > MAX_NODES) return { tooMany: n as Node, duplicates };
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const item of n.items) {
        if (!isPair(item) || !isScalar(item.key) || item.key.value === '<<') continue;
        const k = String(item.key.value);
        if (seen.has(k)) duplicates.push(item.key);
        seen.add(k);
      }
    }
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items) {
        if (isPair(item)) stack.push([item.value, d + 1]);
        else stack.push([item, d + 1]);
      }
    }
  }
  duplicates.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  return { duplicates };
}

function findAlias(
  text: string,
  pos: (o: number) => { line: number; column: number },
): { line: number; column: number } {
  const m = /(^|[\s[{,:-])\*[A-Za-z0-9_-]+/m.exec(text);
  return m ? pos(m.index + m[1]!.length) : { line: 1, column: 1 };
}

export { formatPath };
