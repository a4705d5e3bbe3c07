/**
 * Just enough HCL reading for the platform model: the blocks envc's own templates write (terraform fmt'd),
 * with their labels, top-level attributes (raw expression text) and nested blocks. Not a general HCL parser:
 * the input is envc's generated Terraform, whose shape the templates fix. Strings (with `${...}`), heredocs
 * and comments are skipped when matching braces, so a `{` inside a string does not open a block. Pure.
 */

export interface HclBlock {
  type: string;
  labels: string[];
  /** Attribute name → raw expression text (multi-line values kept whole). */
  attrs: Record<string, string>;
  blocks: HclBlock[];
  /** Body text between the braces. */
  body: string;
}

/** Index just past the string literal opening at `i` (text[i] === '"'), `${...}` interpolations included. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if (c === '$' && text[j + 1] === '{') j = skipBalanced(text, j + 1, '{', '}');
    else j++;
  }
  return j;
}

/** Index just past the bracket closing the one at `i`. */
function skipBalanced(text: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '"') {
      j = skipString(text, j);
      continue;
    }
    if (c === '#' || (c === '/' && text[j + 1] === '/')) {
      j = text.indexOf('\n', j);
      if (j < 0) return text.length;
      continue;
    }
    if (c === '<' && text[j + 1] === '<') {
      const m = /^<<-?([A-Za-z_]+)\n/.exec(text.slice(j, j + 64));
      if (m) {
        const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(?=\\n|$)`, 'g');
        end.lastIndex = j;
        const found = end.exec(text);
        j = found ? found.index + found[0].length : text.length;
        continue;
      }
    }
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return j;
}

const HEADER = /^[ \t]*([A-Za-z_][\w-]*)((?:[ \t]+"[^"\n]*")*)[ \t]*\{/;
const ATTR = /^[ \t]*([A-Za-z_][\w-]*)[ \t]*=[ \t]*/;

/** Blocks of one HCL body (a file, or a block's body). */
export function parseHcl(text: string): HclBlock[] {
  return parseBody(text).blocks;
}

function parseBody(text: string): { attrs: Record<string, string>; blocks: HclBlock[] } {
  const attrs: Record<string, string> = {};
  const blocks: HclBlock[] = [];
  let i = 0;
  while (i < text.length) {
    const eol = text.indexOf('\n', i);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(i, lineEnd);
    const header = HEADER.exec(line);
    if (header) {
      const open = i + header[0].length - 1;
      const close = skipBalanced(text, open, '{', '}');
      const body = text.slice(open + 1, close - 1);
      const inner = parseBody(body);
      const labels = [...(header[2] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      blocks.push({ type: header[1]!, labels, attrs: inner.attrs, blocks: inner.blocks, body });
      i = close;
      continue;
    }
    const attr = ATTR.exec(line);
    if (attr && !line.trimStart().startsWith('#')) {
      const start = i + attr[0].length;
      const end = expressionEnd(text, start);
      attrs[attr[1]!] = text.slice(start, end).trim();
      i = end;
      continue;
    }
    i = lineEnd + 1;
  }
  return { attrs, blocks };
}

/** End of an attribute's expression: the end of its line, unless a bracket or string carries it further. */
function expressionEnd(text: string, start: number): number {
  let j = start;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\n') return j;
    if (c === '"') j = skipString(text, j);
    else if (c === '{') j = skipBalanced(text, j, '{', '}');
    else if (c === '[') j = skipBalanced(text, j, '[', ']');
    else if (c === '(') j = skipBalanced(text, j, '(', ')');
    else if (c === '#' || (c === '/' && text[j + 1] === '/')) {
      const e = text.indexOf('\n', j);
      return e < 0 ? text.length : e;
    } else j++;
  }
  return j;
}

/** Every `module.X`, `<type>.<name>` resource and `data.<type>.<name>` reference in an expression. */
export function references(expr: string): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(/\bmodule\.([A-Za-z_][\w-]*)/g)) out.add(`module.${m[1]}`);
  for (const m of expr.matchAll(/\bdata\.([a-z][\w]*)\.([A-Za-z_][\w-]*)/g)) out.add(`data.${m[1]}.${m[2]}`);
  for (const m of expr.matchAll(
    /(?<![.\w])((?:linode|helm|kubernetes|random|terraform|tls|null|local)_[\w]*)\.([A-Za-z_][\w-]*)/g,
  ))
    out.add(`${m[1]}.${m[2]}`);
  return [...out];
}

/** All references in a block (attributes and nested blocks), depends_on included. */
export function blockReferences(b: HclBlock): string[] {
  return references(b.body);
}

/** A string literal's value (`"x"` → x), or undefined for any other expression. */
export function literal(expr: string | undefined): string | undefined {
  if (expr === undefined) return undefined;
  const m = /^"([^"$]*)"$/.exec(expr.trim());
  return m ? m[1] : undefined;
}
