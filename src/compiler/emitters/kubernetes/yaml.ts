/**
 * A small YAML writer for JSON data (maps, lists, strings, numbers, booleans, null): block style, keys
 * sorted, two-space indentation, multi-line strings as literal blocks. The `yaml` library's document model
 * made serialisation most of the Kubernetes emitter's time on large specs; manifests need none of it.
 *
 * Strings stay plain only when no YAML 1.1 or 1.2 reader could take them for anything else (a number, a
 * boolean such as `yes`/`on`, null, a date, an indicator); everything else is written as a JSON string,
 * which is valid YAML. Tests parse the output back with `yaml` and compare.
 */

const RESERVED =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<)$/;

/** Whether a string can be written without quotes and still read back as the same string. */
export function isPlainSafe(s: string): boolean {
  if (s === '' || RESERVED.test(s)) return false;
  // IPv4 CIDRs read as strings everywhere (the `/` rules out a number, a date or a time).
  if (/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s)) return true;
  // Quantities and durations (`250m`, `1Gi`, `720h`): digits then letters only can be neither a number nor a
  // date — except an exponent (`1e`) and hex, octal or binary integers (`0xA`, `0o7`, `0b1`).
  if (/^\d+(\.\d+)?[A-Za-z]+$/.test(s) && !/^\d+(\.\d+)?[eE]$/.test(s) && !/^0[xXoObB]/.test(s)) return true;
  if (!/^[A-Za-z_/][A-Za-z0-9 _./@:=+,()-]*$/.test(s)) return false;
  if (s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #')) return false;
  // YAML 1.1 floats may omit the mantissa: `e0`, `_e5`.
  if (/^[0-9_.]*[eE][-+]?[0-9_]+$/.test(s)) return false;
  return true;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} to YAML`);
    return String(v);
  }
  if (typeof v === 'string') return isPlainSafe(v) ? v : JSON.stringify(v);
  throw new Error(`cannot write a ${typeof v} to YAML`);
}

/** Control characters other than tab and line feed (a literal block cannot hold them). */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

/** Multi-line strings that a literal block keeps exactly: `|` (one final newline) or `|-` (none). */
function literalHeader(s: string): string | undefined {
  if (!s.includes('\n')) return undefined;
  // Control characters, carriage returns, a leading-space first line or several final newlines need quoting.
  if (hasControlCharacter(s) || s.startsWith(' ') || s.startsWith('\n') || s.endsWith('\n\n'))
    return undefined;
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  // A line consisting only of spaces, or trailing spaces before a line break, are fine in a literal block.
  if (body.split('\n').some((l) => /^\s+$/.test(l))) return undefined;
  return s.endsWith('\n') ? '|' : '|-';
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function entries(m: Record<string, unknown>): Array<[string, unknown]> {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => [k, m[k]]);
}

/** Lines of `value` rendered as a block node at `indent`. */
function block(value: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isEmptyCollection(item) || !isCollection(item)) {
        const lit = typeof item === 'string' ? literalHeader(item) : undefined;
        if (lit) {
          out.push(`${pad}- ${lit}`);
          pushLiteral(item as string, indent + 2, out);
        } else out.push(`${pad}- ${inline(item)}`);
        continue;
      }
      const start = out.length;
      block(item, indent + 2, out);
      out[start] = `${pad}- ${out[start]!.slice(indent + 2)}`;
    }
    return;
  }
  for (const [k, v] of entries(value as Record<string, unknown>)) {
    const key = `${pad}${scalar(k)}:`;
    if (isCollection(v) && !isEmptyCollection(v)) {
      out.push(key);
      // Lists under a key are indented like the `yaml` library does (two spaces, then `- `).
      block(v, indent + 2, out);
      continue;
    }
    const lit = typeof v === 'string' ? literalHeader(v) : undefined;
    if (lit) {
      out.push(`${key} ${lit}`);
      pushLiteral(v as string, indent + 2, out);
    } else out.push(`${key} ${inline(v)}`);
  }
}

function pushLiteral(s: string, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  for (const line of body.split('\n')) out.push(line === '' ? '' : `${pad}${line}`);
}

const isCollection = (v: unknown) => Array.isArray(v) || isMap(v);
const isEmptyCollection = (v: unknown) =>
  Array.isArray(v) ? v.length === 0 : isMap(v) ? entries(v).length === 0 : false;

function inline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (isMap(v)) return '{}';
  return scalar(v);
}

/** One YAML document (no `---`), ending with a newline. */
export function toYamlDocument(value: unknown): string {
  if (!isCollection(value) || isEmptyCollection(value)) return `${inline(value)}\n`;
  const out: string[] = [];
  block(value, 0, out);
  return `${out.join('\n')}\n`;
}
