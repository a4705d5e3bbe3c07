/**
 * JSON for people: two-space indentation like JSON.stringify(v, null, 2), except that a list of plain values
 * (CIDRs, tags, ports) stays on one line when it fits. Reviewers read terraform.tfvars.json in diffs, and a
 * changed address then shows as one changed line.
 */
const MAX_INLINE = 100;

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function format(value: unknown, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (indent.length + inline.length <= MAX_INLINE) return inline;
    }
    return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
}

export function formatJson(value: unknown): string {
  return `${format(value, '')}\n`;
}
