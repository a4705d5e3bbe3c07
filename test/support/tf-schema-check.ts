/**
 * Attribute-by-attribute check of generated Terraform against the provider schemas in
 * test/fixtures/terraform-schemas.json (copied from ../shared/reference: no provider can be downloaded here, so
 * `terraform validate` cannot run and this takes its place).
 *
 * Walks every `resource`, `data`, `provider` and `terraform { backend }` block (plus backend.hcl, merged into
 * the backend it configures) and checks each key: it must be a meta-argument, a settable attribute or a block;
 * computed-only attributes must not be set; required attributes and blocks must be present; literal values
 * must fit the enum, length and range; nested attributes (`x = { }`) must not be written as blocks and blocks
 * must not be written as attributes (decided on the raw HCL, since hcl2json renders both as arrays of
 * objects); blocks must not exceed max_items; plus the cross-field rules the schema records
 * (exactly_one_of, conflicts_with, requires, at_least_one_of, the LKE pool count rule).
 */
import { readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';

export interface AttributeSchema {
  type: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  nested_type?: BodySchema & { nesting: 'single' | 'list' | 'set' | 'map' };
  enum?: Array<string | number>;
  enum_case_insensitive?: boolean;
  length?: { min?: number; max?: number };
  range?: { min?: number; max?: number };
  exactly_one_of?: string[];
  conflicts_with?: string[];
  requires?: string[];
  at_least_one_of?: string[];
  conditionally_required?: string;
}

export interface BlockSchema extends BodySchema {
  nesting: 'list' | 'set' | 'single';
  min_items: number;
  max_items: number | null;
  block_required?: boolean;
  at_least_one_of?: string[];
}

export interface BodySchema {
  attributes?: Record<string, AttributeSchema>;
  blocks?: Record<string, BlockSchema>;
}

export interface ReferenceSchemas {
  conventions: {
    meta_arguments: Record<'resource' | 'data' | 'provider', { attributes: string[]; blocks: string[] }>;
  };
  providers: Record<string, BodySchema>;
  resources: Record<string, BodySchema & { provider?: string }>;
  data_sources: Record<string, BodySchema>;
  backends: Record<string, BodySchema & { conflicts?: string[][] }>;
}

export interface SchemaProblem {
  file: string;
  /** `resource.linode_lke_cluster.this`, `provider.helm`, `backend.s3`, … */
  address: string;
  /** Where in the block, e.g. `control_plane[0].acl[0].enabled`. */
  path: string;
  message: string;
}

export interface CheckReport {
  problems: SchemaProblem[];
  /** Blocks checked, by address kind — so a test can tell that the walk saw something. */
  checked: { resources: number; data: number; providers: number; backends: number; attributes: number };
  /** Resource and data source types seen. */
  types: Set<string>;
  /** The pool block schema of linode_lke_cluster (its count rule lives outside the schema). */
  lkePool?: BlockSchema;
}

const FIXTURE = new URL('../fixtures/terraform-schemas.json', import.meta.url);

let cached: ReferenceSchemas | undefined;
export function loadReferenceSchemas(): ReferenceSchemas {
  cached ??= JSON.parse(readFileSync(FIXTURE, 'utf8')) as ReferenceSchemas;
  return cached;
}

/** Terraform's built-in data source (not a provider's, so not in the reference). */
const BUILTIN_DATA: Record<string, BodySchema> = {
  terraform_remote_state: {
    attributes: {
      backend: { type: 'string', required: true, optional: false, computed: false },
      config: { type: 'dynamic', required: false, optional: true, computed: false },
      defaults: { type: 'dynamic', required: false, optional: true, computed: false },
      workspace: { type: 'string', required: false, optional: true, computed: false },
      outputs: { type: 'dynamic', required: false, optional: false, computed: true },
    },
  },
};

// ---------------------------------------------------------------------------------------------------------
// Raw HCL: which names are written as blocks (`name {`) and which as attributes (`name =`), per body path.

type Form = 'block' | 'attr';

/** Net count of open brackets outside string literals (interpolations inside strings are skipped). */
function bracketBalance(text: string): number {
  let depth = 0;
  let i = 0;
  const stack: Array<'str' | 'interp'> = [];
  let interpDepth: number[] = [];
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (top === 'str') {
      if (ch === '\\') i++;
      else if (ch === '"') stack.pop();
      else if ((ch === '$' || ch === '%') && text[i + 1] === '{' && text[i - 1] !== ch) {
        stack.push('interp');
        interpDepth.push(0);
        i++;
      }
    } else if (top === 'interp') {
      if (ch === '"') stack.push('str');
      else if (ch === '{') interpDepth[interpDepth.length - 1]!++;
      else if (ch === '}') {
        if (interpDepth[interpDepth.length - 1] === 0) {
          stack.pop();
          interpDepth = interpDepth.slice(0, -1);
        } else interpDepth[interpDepth.length - 1]!--;
      }
    } else {
      if (ch === '"') stack.push('str');
      else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) break;
      else if (ch === '{' || ch === '[' || ch === '(') depth++;
      else if (ch === '}' || ch === ']' || ch === ')') depth--;
    }
    i++;
  }
  return depth;
}

/** `path → name → forms` for every body in the file. Paths look like `resource/linode_lke_cluster/this/control_plane/acl`. */
export function rawForms(hcl: string): Map<string, Map<string, Set<Form>>> {
  const forms = new Map<string, Map<string, Set<Form>>>();
  const record = (path: string, name: string, form: Form) => {
    const m = forms.get(path) ?? new Map<string, Set<Form>>();
    forms.set(path, m);
    const s = m.get(name) ?? new Set<Form>();
    m.set(name, s);
    s.add(form);
  };
  const bodies: string[] = [''];
  let exprDepth = 0;
  for (const rawLine of hcl.split('\n')) {
    const line = rawLine.trim();
    if (exprDepth > 0) {
      exprDepth += bracketBalance(line);
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    if (line === '}') {
      bodies.pop();
      continue;
    }
    const block = /^([A-Za-z_][\w-]*)((?:\s+"[^"]*"|\s+[A-Za-z_][\w-]*)*)\s*\{(.*)$/.exec(line);
    const attr = /^([A-Za-z_][\w-]*|"[^"]*")\s*=\s*(.*)$/.exec(line);
    if (attr) {
      const parent = bodies[bodies.length - 1]!;
      record(parent, attr[1]!.replace(/^"|"$/g, ''), 'attr');
      exprDepth = bracketBalance(attr[2]!);
    } else if (block) {
      const parent = bodies[bodies.length - 1]!;
      const name = block[1]!;
      const labels = [...block[2]!.matchAll(/"([^"]*)"|([A-Za-z_][\w-]*)/g)].map((m) => m[1] ?? m[2]!);
      record(parent, name, 'block');
      const path =
        name === 'dynamic'
          ? `${parent}/dynamic:${labels[0]}`
          : [parent, name, ...labels].filter((x) => x !== '').join('/');
      const rest = block[3]!.trim();
      // `name {}` or `name { a = 1 }` on one line opens and closes the body.
      if (!(rest.endsWith('}') && bracketBalance(`{${rest}`) === 0)) bodies.push(path);
    }
  }
  return forms;
}

// ---------------------------------------------------------------------------------------------------------

const isExpr = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Ctx {
  file: string;
  address: string;
  forms: Map<string, Map<string, Set<Form>>>;
  meta: { attributes: string[]; blocks: string[] };
  report: CheckReport;
}

function problem(ctx: Ctx, path: string, message: string) {
  ctx.report.problems.push({ file: ctx.file, address: ctx.address, path, message });
}

function checkLiteral(ctx: Ctx, path: string, a: AttributeSchema, v: unknown) {
  if (v === null || isExpr(v)) return;
  if (a.enum && (typeof v === 'string' || typeof v === 'number')) {
    const ok = a.enum_case_insensitive
      ? a.enum.some((e) => String(e).toLowerCase() === String(v).toLowerCase())
      : a.enum.includes(v);
    if (!ok)
      problem(
        ctx,
        path,
        `value ${JSON.stringify(v)} is not one of ${a.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      );
  }
  if (a.type === 'bool' && typeof v !== 'boolean')
    problem(ctx, path, `expects a bool, got ${JSON.stringify(v)}`);
  if (a.type === 'number' && typeof v !== 'number' && !(typeof v === 'string' && /^-?[0-9.]+$/.test(v))) {
    problem(ctx, path, `expects a number, got ${JSON.stringify(v)}`);
  }
  if (a.type === 'string' && typeof v === 'object')
    problem(ctx, path, `expects a string, got ${JSON.stringify(v)}`);
  if (typeof v === 'string' && a.length) {
    if (a.length.min !== undefined && v.length < a.length.min)
      problem(ctx, path, `is shorter than ${a.length.min} characters`);
    if (a.length.max !== undefined && a.length.max !== null && v.length > a.length.max)
      problem(ctx, path, `is longer than ${a.length.max} characters`);
  }
  if (typeof v === 'number' && a.range) {
    if (a.range.min !== undefined && a.range.min !== null && v < a.range.min)
      problem(ctx, path, `is below the minimum ${a.range.min}`);
    if (a.range.max !== undefined && a.range.max !== null && v > a.range.max)
      problem(ctx, path, `is above the maximum ${a.range.max}`);
  }
  if ((a.type.startsWith('list(') || a.type.startsWith('set(')) && !Array.isArray(v))
    problem(ctx, path, `expects a ${a.type}, got ${JSON.stringify(v)}`);
}

function checkNested(ctx: Ctx, path: string, nt: NonNullable<AttributeSchema['nested_type']>, v: unknown) {
  if (v === null || isExpr(v)) return;
  if (nt.nesting === 'single') {
    if (!isPlainObject(v)) {
      problem(
        ctx,
        path,
        `is a nested attribute (write \`${path.split('.').pop()} = { ... }\`), got ${Array.isArray(v) ? 'a list or a block' : JSON.stringify(v)}`,
      );
      return;
    }
    checkObject(ctx, path, nt, v);
  } else if (nt.nesting === 'map') {
    if (!isPlainObject(v)) problem(ctx, path, 'expects a map of objects');
    else
      for (const [k, item] of Object.entries(v))
        if (isPlainObject(item)) checkObject(ctx, `${path}.${k}`, nt, item);
  } else {
    if (!Array.isArray(v)) {
      problem(ctx, path, `is a list nested attribute (write \`${path.split('.').pop()} = [{ ... }]\`)`);
      return;
    }
    v.forEach((item, i) => {
      if (isPlainObject(item)) checkObject(ctx, `${path}[${i}]`, nt, item);
      else if (!isExpr(item)) problem(ctx, `${path}[${i}]`, 'expects an object');
    });
  }
}

/** An object value of a nested attribute (no blocks, no meta-arguments). */
function checkObject(ctx: Ctx, path: string, schema: BodySchema, obj: Record<string, unknown>) {
  const attrs = schema.attributes ?? {};
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [k, v] of Object.entries(obj)) {
    const a = attrs[k];
    if (!a) {
      problem(
        ctx,
        at(k),
        `unknown attribute ${JSON.stringify(k)}; known: ${Object.keys(attrs).sort().join(', ')}`,
      );
      continue;
    }
    ctx.report.checked.attributes++;
    if (!a.required && !a.optional) problem(ctx, at(k), 'is computed-only and must not be set');
    if (a.nested_type) checkNested(ctx, at(k), a.nested_type, v);
    else checkLiteral(ctx, at(k), a, v);
  }
  for (const [k, a] of Object.entries(attrs)) {
    if (a.required && !(k in obj)) problem(ctx, at(k), 'is required');
  }
}

function formOf(ctx: Ctx, bodyPath: string, name: string): Set<Form> | undefined {
  return ctx.forms.get(bodyPath)?.get(name);
}

/** A block body as hcl2json renders it. `bodyPath` is the raw-HCL path of this body (see rawForms). */
function checkBody(
  ctx: Ctx,
  path: string,
  bodyPath: string,
  schema: BodySchema,
  body: Record<string, unknown>,
  topLevel: boolean,
) {
  const attrs = schema.attributes ?? {};
  const blocks = schema.blocks ?? {};
  const present = new Set<string>();
  for (const [k, v] of Object.entries(body)) {
    const p = path ? `${path}.${k}` : k;
    if (topLevel && ctx.meta.attributes.includes(k)) continue;
    if (topLevel && ctx.meta.blocks.includes(k) && k !== 'dynamic') continue;
    if (k === 'dynamic') {
      if (!isPlainObject(v)) {
        problem(ctx, p, 'dynamic must be a block');
        continue;
      }
      for (const [name, list] of Object.entries(v)) {
        const b = blocks[name];
        if (!b) {
          problem(
            ctx,
            `${p}.${name}`,
            `dynamic block of unknown block type ${JSON.stringify(name)}${attrs[name] ? ' (it is an attribute: use a for expression)' : ''}`,
          );
          continue;
        }
        present.add(name);
        for (const d of Array.isArray(list) ? list : []) {
          if (!isPlainObject(d)) continue;
          if (!('for_each' in d)) problem(ctx, `${p}.${name}`, 'dynamic block without for_each');
          const content = Array.isArray(d.content) ? d.content : [];
          if (content.length !== 1)
            problem(ctx, `${p}.${name}`, 'dynamic block needs exactly one content block');
          for (const c of content) {
            if (isPlainObject(c))
              checkBody(ctx, `${p}.${name}.content`, `${bodyPath}/dynamic:${name}/content`, b, c, false);
          }
        }
      }
      continue;
    }
    const a = attrs[k];
    const b = blocks[k];
    if (a) {
      ctx.report.checked.attributes++;
      present.add(k);
      if (!a.required && !a.optional) problem(ctx, p, 'is computed-only and must not be set');
      if (formOf(ctx, bodyPath, k)?.has('block'))
        problem(ctx, p, `is an attribute; write \`${k} = ...\`, not a \`${k} { }\` block`);
      if (a.nested_type) checkNested(ctx, p, a.nested_type, v);
      else checkLiteral(ctx, p, a, v);
    } else if (b) {
      present.add(k);
      if (formOf(ctx, bodyPath, k)?.has('attr') || !Array.isArray(v)) {
        problem(ctx, p, `is a block; write \`${k} { ... }\`, not \`${k} = ...\``);
        continue;
      }
      if (b.max_items !== null && v.length > b.max_items)
        problem(ctx, p, `has ${v.length} blocks; at most ${b.max_items} allowed`);
      v.forEach((item, i) => {
        if (isPlainObject(item)) checkBody(ctx, `${p}[${i}]`, `${bodyPath}/${k}`, b, item, false);
      });
    } else {
      const known = [
        ...Object.keys(attrs).filter((n) => attrs[n]!.optional || attrs[n]!.required),
        ...Object.keys(blocks),
      ].sort();
      problem(ctx, p, `unknown argument ${JSON.stringify(k)}; known: ${known.join(', ')}`);
    }
  }
  for (const [k, a] of Object.entries(attrs)) {
    if (a.required && !present.has(k)) problem(ctx, path ? `${path}.${k}` : k, 'is required');
    if (a.exactly_one_of && present.has(k)) {
      const set = a.exactly_one_of.filter((n) => present.has(n));
      if (set.length > 1)
        problem(
          ctx,
          path || '.',
          `only one of ${a.exactly_one_of.join(', ')} may be set (found ${set.join(', ')})`,
        );
    }
    if (a.exactly_one_of && !a.exactly_one_of.some((n) => present.has(n))) {
      problem(ctx, path || '.', `exactly one of ${a.exactly_one_of.join(', ')} must be set`);
    }
    if (a.conflicts_with && present.has(k)) {
      for (const c of a.conflicts_with)
        if (present.has(c)) problem(ctx, path ? `${path}.${k}` : k, `conflicts with ${c}`);
    }
    if (a.requires && present.has(k)) {
      for (const r of a.requires)
        if (!present.has(r)) problem(ctx, path ? `${path}.${k}` : k, `requires ${r}`);
    }
    if (a.at_least_one_of && !a.at_least_one_of.some((n) => present.has(n))) {
      problem(ctx, path || '.', `at least one of ${a.at_least_one_of.join(', ')} must be set`);
    }
  }
  for (const [k, b] of Object.entries(blocks)) {
    if ((b.min_items > 0 || b.block_required) && !present.has(k))
      problem(ctx, path ? `${path}.${k}` : k, 'block is required');
  }
  // LKE (CustomizeDiff): a pool without an autoscaler must set count.
  if (schema === ctx.report.lkePool && !present.has('count') && !present.has('autoscaler')) {
    problem(ctx, path, 'a pool without an autoscaler block must set count');
  }
}

const parseCache = new Map<string, Promise<Record<string, unknown>>>();

/**
 * hcl2json's view of one file. Memoized by content: property tests emit the same module files over and over,
 * and a parse costs a few milliseconds. Callers must not mutate the result.
 */
export function parseHcl(name: string, text: string): Promise<Record<string, unknown>> {
  let p = parseCache.get(text);
  if (!p) {
    p = parse(name, text) as Promise<Record<string, unknown>>;
    parseCache.set(text, p);
  }
  return p;
}

export interface TfFile {
  path: string;
  content: string;
}

/**
 * Checks every .tf file (and backend.hcl) of a tree. Files in one directory form one module: backend.hcl is
 * merged into the backend block of the directory's versions.tf.
 */
export async function checkTerraform(
  files: readonly TfFile[],
  ref: ReferenceSchemas = loadReferenceSchemas(),
): Promise<CheckReport> {
  const report: CheckReport = {
    problems: [],
    checked: { resources: 0, data: 0, providers: 0, backends: 0, attributes: 0 },
    types: new Set(),
    lkePool: ref.resources.linode_lke_cluster?.blocks?.pool,
  };
  const backendConfigs = new Map<string, Record<string, unknown>>();
  for (const f of files) {
    if (f.path.endsWith('/backend.hcl') || f.path === 'backend.hcl') {
      const dir = f.path.slice(0, f.path.lastIndexOf('/') + 1);
      backendConfigs.set(dir, await parseHcl(f.path, f.content));
    }
  }
  for (const f of files) {
    if (!f.path.endsWith('.tf')) continue;
    const json = await parseHcl(f.path, f.content);
    const forms = rawForms(f.content);
    const dir = f.path.slice(0, f.path.lastIndexOf('/') + 1);
    const ctxFor = (address: string, meta: Ctx['meta']): Ctx => ({
      file: f.path,
      address,
      forms,
      meta,
      report,
    });

    const resources = (json.resource ?? {}) as Record<string, Record<string, unknown[]>>;
    for (const [type, byName] of Object.entries(resources)) {
      for (const [name, bodies] of Object.entries(byName)) {
        const ctx = ctxFor(`resource.${type}.${name}`, ref.conventions.meta_arguments.resource);
        report.types.add(type);
        const schema = ref.resources[type];
        if (!schema) {
          problem(ctx, '', `resource type ${JSON.stringify(type)} is not in the reference schemas`);
          continue;
        }
        for (const body of bodies) {
          report.checked.resources++;
          if (isPlainObject(body)) checkBody(ctx, '', `resource/${type}/${name}`, schema, body, true);
        }
      }
    }
    const data = (json.data ?? {}) as Record<string, Record<string, unknown[]>>;
    for (const [type, byName] of Object.entries(data)) {
      for (const [name, bodies] of Object.entries(byName)) {
        const ctx = ctxFor(`data.${type}.${name}`, ref.conventions.meta_arguments.data);
        report.types.add(`data.${type}`);
        const schema = ref.data_sources[type] ?? BUILTIN_DATA[type];
        if (!schema) {
          problem(ctx, '', `data source type ${JSON.stringify(type)} is not in the reference schemas`);
          continue;
        }
        for (const body of bodies) {
          report.checked.data++;
          if (!isPlainObject(body)) continue;
          checkBody(ctx, '', `data/${type}/${name}`, schema, body, true);
          // terraform_remote_state: its config is a backend configuration.
          if (
            type === 'terraform_remote_state' &&
            typeof body.backend === 'string' &&
            isPlainObject(body.config)
          ) {
            const backend = ref.backends[body.backend];
            if (!backend)
              problem(
                ctx,
                'backend',
                `backend ${JSON.stringify(body.backend)} is not in the reference schemas`,
              );
            else
              checkBackend(
                ctxFor(`data.${type}.${name}.config`, { attributes: [], blocks: [] }),
                backend,
                body.config,
              );
          }
        }
      }
    }
    const providers = (json.provider ?? {}) as Record<string, unknown[]>;
    for (const [name, bodies] of Object.entries(providers)) {
      const ctx = ctxFor(`provider.${name}`, ref.conventions.meta_arguments.provider);
      const schema = ref.providers[name];
      if (!schema) {
        problem(ctx, '', `provider ${JSON.stringify(name)} is not in the reference schemas`);
        continue;
      }
      for (const body of bodies) {
        report.checked.providers++;
        if (isPlainObject(body)) checkBody(ctx, '', `provider/${name}`, schema, body, true);
      }
    }
    for (const tf of (json.terraform ?? []) as Array<Record<string, unknown>>) {
      const backends = (tf.backend ?? {}) as Record<string, unknown[]>;
      for (const [type, bodies] of Object.entries(backends)) {
        const ctx = ctxFor(`backend.${type}`, { attributes: [], blocks: [] });
        const schema = ref.backends[type];
        if (!schema) {
          problem(ctx, '', `backend ${JSON.stringify(type)} is not in the reference schemas`);
          continue;
        }
        for (const body of bodies) {
          // A partial backend block gets the rest from -backend-config=backend.hcl.
          const merged = { ...(isPlainObject(body) ? body : {}), ...(backendConfigs.get(dir) ?? {}) };
          checkBackend(ctx, schema, merged);
        }
      }
    }
  }
  const seen = new Set<string>();
  report.problems = report.problems.filter((p) => {
    const key = `${p.file}\u0000${p.address}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return report;
}

function checkBackend(ctx: Ctx, schema: ReferenceSchemas['backends'][string], body: Record<string, unknown>) {
  ctx.report.checked.backends++;
  // Backends cannot read variables or other expressions.
  for (const [k, v] of Object.entries(body))
    if (isExpr(v)) problem(ctx, k, 'backend settings must be literals');
  checkObject(ctx, '', schema, body);
  for (const pair of schema.conflicts ?? []) {
    const has = (dotted: string) => {
      const [head, sub] = dotted.split('.');
      const v = body[head!];
      return sub ? isPlainObject(v) && sub in v : v !== undefined;
    };
    if (pair.every(has)) problem(ctx, '', `${pair.join(' and ')} conflict`);
  }
}
