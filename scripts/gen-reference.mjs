// Generates docs/reference/environments.md from schemas/environments.schema.json, so the reference cannot
// drift from what the validator accepts. `node scripts/gen-reference.mjs` rewrites the file;
// `--check` exits 1 when it is stale (test/e2e/docs-generated.test.ts does the same in the suite).
import { readFileSync, writeFileSync } from 'node:fs';

const SCHEMA = new URL('../schemas/environments.schema.json', import.meta.url);
const OUT = new URL('../docs/reference/environments.md', import.meta.url);

/** `#/$defs/duration` → `duration`. */
const refName = (ref) => ref.replace('#/$defs/', '');

/** Markdown table cell: no pipes or newlines. */
const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** A definition is a "value type" (listed once at the end) when it is not an object. */
function isValueType(def) {
  return def.type !== 'object';
}

function anchor(name) {
  return `value-${name.toLowerCase()}`;
}

/** Human type of a property schema: `string`, `integer (1–100)`, [`duration`](#...), `list of …`, `map of …`. */
function typeOf(schema, defs) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    const def = defs[name];
    return isValueType(def) ? `[${name}](#${anchor(name)})` : `object (see \`${name}\`)`;
  }
  if (schema.const !== undefined) return `${code(schema.const)} (constant)`;
  if (schema.enum) return `one of ${schema.enum.map(code).join(', ')}`;
  if (schema.type === 'array')
    return `list of ${typeOf(schema.items ?? {}, defs)}${schema.minItems ? `, at least ${schema.minItems}` : ''}${schema.uniqueItems ? ', unique' : ''}`;
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object' &&
    !schema.properties
  ) {
    const keys = schema.propertyNames?.$ref ? refName(schema.propertyNames.$ref) : 'name';
    return `map of ${keys} → ${typeOf(schema.additionalProperties, defs)}`;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const lo = schema.minimum;
    const hi = schema.maximum;
    const range =
      lo !== undefined && hi !== undefined
        ? ` (${lo}–${hi})`
        : lo !== undefined
          ? ` (≥ ${lo})`
          : hi !== undefined
            ? ` (≤ ${hi})`
            : '';
    return `${schema.type}${range}`;
  }
  if (schema.type === 'string') {
    const extra = [];
    if (schema.pattern) extra.push(`pattern ${code(schema.pattern)}`);
    if (schema.format) extra.push(`format ${schema.format}`);
    if (schema.maxLength) extra.push(`at most ${schema.maxLength} characters`);
    return `string${extra.length ? ` (${extra.join(', ')})` : ''}`;
  }
  return schema.type ?? 'any';
}

/** The object schema behind a property (following $ref and array items), or undefined for values. */
function objectBehind(schema, defs) {
  if (!schema) return undefined;
  if (schema.$ref) return objectBehind(defs[refName(schema.$ref)], defs);
  if (schema.type === 'array') return objectBehind(schema.items, defs);
  if (schema.type === 'object' && schema.properties) return schema;
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object'
  ) {
    return objectBehind(schema.additionalProperties, defs);
  }
  return undefined;
}

/** How a child path is written: `services[]`, `environments.<name>`, `replicas.<env>`. */
function childPath(path, key, schema, defs) {
  const base = path ? `${path}.${key}` : key;
  const s = schema.$ref ? defs[refName(schema.$ref)] : schema;
  if (s?.type === 'array') return `${base}[]`;
  if (
    s?.type === 'object' &&
    !s.properties &&
    s.additionalProperties &&
    typeof s.additionalProperties === 'object'
  ) {
    const keys = s.propertyNames?.$ref ? refName(s.propertyNames.$ref) : 'name';
    return `${base}.<${keys === 'dnsLabel' ? 'name' : keys}>`;
  }
  return base;
}

function describe(schema, defs) {
  const own = schema.description;
  const fromRef = schema.$ref ? defs[refName(schema.$ref)]?.description : undefined;
  const parts = [own ?? fromRef ?? ''];
  const examples = schema.examples ?? (schema.$ref ? defs[refName(schema.$ref)]?.examples : undefined);
  if (examples?.length && !schema.enum) parts.push(`Examples: ${examples.map(code).join(', ')}.`);
  return parts.filter(Boolean).join(' ');
}

function table(obj, defs) {
  const required = new Set(obj.required ?? []);
  const rows = ['| field | type | required | default | description |', '| --- | --- | --- | --- | --- |'];
  for (const [key, prop] of Object.entries(obj.properties)) {
    const def = prop.default !== undefined ? code(prop.default) : '';
    rows.push(
      `| \`${key}\` | ${cell(typeOf(prop, defs))} | ${required.has(key) ? 'yes' : ''} | ${cell(def)} | ${cell(describe(prop, defs))} |`,
    );
  }
  return rows;
}

export function renderReference(schema) {
  const defs = schema.$defs ?? {};
  const out = [
    '<!-- generated by scripts/gen-reference.mjs from schemas/environments.schema.json — do not edit; run `node scripts/gen-reference.mjs` -->',
    '# environments.yaml reference',
    '',
    schema.description,
    '',
    'Every section below is one object of the file, named by its path (`environments.<name>` is any environment',
    'name; `[]` marks list items). Value types such as durations and CIDRs are described once at the end.',
    'Editors that speak JSON Schema complete and check the file as you type: its first line,',
    '`# yaml-language-server: $schema=./schemas/environments.schema.json`, points them at the schema.',
    '',
  ];
  const seen = new Set();
  const sections = [];
  const walk = (path, obj) => {
    if (seen.has(path)) return;
    seen.add(path);
    sections.push({ path, obj });
    for (const [key, prop] of Object.entries(obj.properties)) {
      const child = objectBehind(prop, defs);
      if (child) walk(childPath(path, key, prop, defs), child);
    }
  };
  walk('', schema);
  out.push('## Contents', '');
  for (const s of sections) out.push(`- [\`${s.path || '(top level)'}\`](#${slug(s.path || 'top-level')})`);
  out.push(`- [Value types](#value-types)`, '');
  for (const s of sections) {
    out.push(`## ${s.path ? `\`${s.path}\`` : 'Top level'}`, '');
    out.push(`<a id="${slug(s.path || 'top-level')}"></a>`, '');
    if (s.path && s.obj.description) out.push(s.obj.description, '');
    if (s.obj.additionalProperties === false)
      out.push('No other fields are allowed (a typo is an error with a "did you mean" hint).', '');
    out.push(...table(s.obj, defs), '');
  }
  out.push('## Value types', '');
  for (const [name, def] of Object.entries(defs)) {
    if (!isValueType(def)) continue;
    out.push(`<a id="${anchor(name)}"></a>`, '', `### ${name}`, '', def.description ?? '', '');
    if (def.pattern)
      out.push(
        `Pattern: ${code(def.pattern)}${def.maxLength ? `, at most ${def.maxLength} characters` : ''}.`,
        '',
      );
    if (def.examples?.length) out.push(`Examples: ${def.examples.map(code).join(', ')}.`, '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function slug(path) {
  return `ref-${path
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()}`;
}

export function readSchema() {
  return JSON.parse(readFileSync(SCHEMA, 'utf8'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderReference(readSchema());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {}
    if (current !== text) {
      process.stderr.write('docs/reference/environments.md is stale; run `node scripts/gen-reference.mjs`\n');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
  }
}
