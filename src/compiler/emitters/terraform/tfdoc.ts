/**
 * Reads the `variable`, `output` and `resource` blocks back out of HCL that envc itself rendered, for the
 * READMEs: the inputs/outputs tables are derived from the .tf files, so they cannot drift from them. Not a
 * general HCL parser — it relies on the layout of envc's own templates (blocks start and end at column 0,
 * one attribute per line).
 */

export interface VariableDoc {
  name: string;
  type: string;
  description: string;
  hasDefault: boolean;
  default: string;
}

export interface OutputDoc {
  name: string;
  description: string;
  sensitive: boolean;
}

interface Block {
  kind: string;
  labels: string[];
  lines: string[];
}

function blocks(hcl: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const line of hcl.split('\n')) {
    if (!current) {
      const m = /^(\w+)((?:\s+"[^"]*")*)\s*\{\s*$/.exec(line);
      if (m)
        current = { kind: m[1]!, labels: [...m[2]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!), lines: [] };
    } else if (line === '}') {
      out.push(current);
      current = undefined;
    } else current.lines.push(line);
  }
  return out;
}

/** The value of a top-level (2-space indented) attribute; multi-line values are condensed to their first line. */
function attr(b: Block, name: string): string | undefined {
  const re = new RegExp(`^  ${name}\\s+= (.*)$`);
  for (const line of b.lines) {
    const m = re.exec(line);
    if (m) {
      const v = m[1]!;
      return /[[({]$/.test(v) ? `${v}…` : v;
    }
  }
  return undefined;
}

function unquote(v: string | undefined): string {
  if (!v) return '';
  try {
    return (JSON.parse(v.replaceAll('$${', '${')) as string).replaceAll('|', '\\|');
  } catch {
    return v;
  }
}

function typeOf(b: Block): string {
  const v = attr(b, 'type');
  if (!v) return 'any';
  // `object({` … `})` → `object({…})`
  return v.endsWith('…') ? `${v.slice(0, -1)}…${closing(v)}` : v;
}

function closing(v: string): string {
  const stack: string[] = [];
  for (const ch of v) {
    if (ch === '(') stack.push(')');
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === ')' || ch === '}' || ch === ']') stack.pop();
  }
  return stack.reverse().join('');
}

export function variablesOf(hcl: string): VariableDoc[] {
  return blocks(hcl)
    .filter((b) => b.kind === 'variable')
    .map((b) => {
      const def = attr(b, 'default');
      return {
        name: b.labels[0]!,
        type: typeOf(b),
        description: unquote(attr(b, 'description')),
        hasDefault: def !== undefined,
        default: def ?? '',
      };
    });
}

export function outputsOf(hcl: string): OutputDoc[] {
  return blocks(hcl)
    .filter((b) => b.kind === 'output')
    .map((b) => ({
      name: b.labels[0]!,
      description: unquote(attr(b, 'description')),
      sensitive: attr(b, 'sensitive') === 'true',
    }));
}

/** `type.name` of every resource block. */
export function resourcesOf(hcl: string): string[] {
  return blocks(hcl)
    .filter((b) => b.kind === 'resource')
    .map((b) => `${b.labels[0]}.${b.labels[1]}`);
}
