/**
 * Formatting of literal values inside HCL. Templates only place these; the few literals the stacks carry (module
 * sources, backend settings) come through here so a quote, a backslash or a `${` in the spec can never turn into
 * HCL syntax. Everything else that comes from the spec goes into terraform.tfvars.json, which is plain JSON.
 */

/** A quoted HCL string: escapes `\`, `"`, control characters and template sequences (`${` → `$${`, `%{` → `%%{`). */
export function hclString(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch.charCodeAt(0) < 0x20) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  // Function replacements: in a replacement *string*, `$$` would mean a single `$`.
  return `"${out.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{')}"`;
}

/** A literal HCL value for a string, number, boolean, null or a list of those (one line). */
export function hclValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an HCL number`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  throw new Error(`hclValue: unsupported value ${JSON.stringify(value)}`);
}

/**
 * `key = value` lines with the `=` signs aligned the way `terraform fmt` aligns consecutive single-line
 * attributes, so emitted files pass `terraform fmt -check` unchanged.
 */
export function alignedAttributes(entries: ReadonlyArray<readonly [string, string]>, indent: string): string {
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`).join('\n');
}
