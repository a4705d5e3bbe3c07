/**
 * The Terraform side of the platform model, read from the generated files (never from disk): every root
 * (a directory under terraform/ holding .tf files, modules/ excluded), its backend, providers, and every
 * resource with the resources it waits for (references, depends_on, module inputs, the provider it uses).
 * Variables are resolved against the root's terraform.tfvars.json where the templates pass them through.
 * Pure.
 */
import type { GeneratedFile } from '../emitters/types.js';
import { blockReferences, type HclBlock, literal, parseHcl } from './hcl.js';

export interface TfResource {
  /** Address in its root, e.g. `module.observability.helm_release.loki`. */
  address: string;
  type: string;
  name: string;
  /** Module call name when inside a module. */
  module?: string;
  block: HclBlock;
  /** Addresses in the same root this resource waits for (direct). */
  deps: string[];
  /** Provider configuration it uses (`kubernetes`, `helm`, `kubernetes.argocd`, ...). */
  provider: string;
  /** Instances: undefined for a single resource; the for_each keys (or [] for count 0). */
  instances?: string[];
  /** Resolve an attribute of this resource's block to a value (`var.*` through module inputs and tfvars). */
  value(expr: string | undefined, each?: string): unknown;
}

export interface TfProvider {
  /** `kubernetes`, `helm`, `kubernetes.argocd`. */
  key: string;
  block: HclBlock;
  refs: string[];
}

export interface TfRoot {
  /** Directory relative to generated/, e.g. `terraform/environments/production`. */
  dir: string;
  /** Its top-level blocks (module calls with their inputs among them). */
  blocks: HclBlock[];
  env: string;
  tfvars: Record<string, unknown>;
  backend?: { type: string; bucket?: string; key?: string };
  providers: TfProvider[];
  resources: TfResource[];
  /** `key` of every terraform_remote_state this root reads (the roots it needs applied before it). */
  remoteStateKeys: string[];
  /** Its phase in the environment's phases.json (`cluster`, `platform`), when the environment has phases. */
  phase?: string;
  /** Position of that phase (the runner applies phases in this order). */
  phaseIndex?: number;
  /** Outputs of other phases the runner passes in (phases.json `inputs`): those must be applied first. */
  inputs: Array<{ env: string; phase: string }>;
}

interface PhasesFile {
  environment?: string;
  phases?: Array<{
    name: string;
    dir: string;
    inputs?: Record<string, { environment: string; phase: string }>;
  }>;
}

function phaseOf(
  dir: string,
  byDir: Map<string, GeneratedFile[]>,
): Pick<TfRoot, 'phase' | 'phaseIndex' | 'inputs'> & { env?: string } {
  const parent = dirOf(dir);
  const file = (byDir.get(parent) ?? []).find((f) => f.path === `${parent}/phases.json`);
  if (!file) return { inputs: [] };
  const phases = JSON.parse(file.content) as PhasesFile;
  const base = dir.slice(parent.length + 1);
  const index = (phases.phases ?? []).findIndex((p) => p.dir === base);
  const p = phases.phases?.[index];
  if (!p) return { inputs: [] };
  return {
    ...(phases.environment ? { env: phases.environment } : {}),
    phase: p.name,
    phaseIndex: index,
    inputs: Object.values(p.inputs ?? {}).map((i) => ({ env: i.environment, phase: i.phase })),
  };
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

function lookup(root: unknown, path: string[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

interface Scope {
  /** Resolves `var.<name>` in this scope. */
  variable(name: string): unknown;
}

/** A small evaluator for the expressions envc's templates use: literals, var paths, `x == null ? a : b`, toset(). */
export function evaluate(expr: string | undefined, scope: Scope, each?: string): unknown {
  if (expr === undefined) return undefined;
  const e = expr.trim();
  const lit = literal(e);
  if (lit !== undefined) return lit;
  if (e === 'true' || e === 'false') return e === 'true';
  if (e === 'null') return null;
  if (/^-?\d+$/.test(e)) return Number(e);
  if (e === 'each.value' || e === 'each.key') return each;
  const cond = /^(.+?)\s*==\s*null\s*\?\s*(.+?)\s*:\s*(.+)$/s.exec(e);
  if (cond) {
    const v = evaluate(cond[1], scope, each);
    return evaluate(v === null || v === undefined ? cond[2] : cond[3], scope, each);
  }
  const fn = /^to(?:set|list)\((.*)\)$/s.exec(e);
  if (fn) return evaluate(fn[1], scope, each);
  if (e === '[]') return [];
  const v = /^var\.([\w-]+)((?:\.[\w-]+)*)$/.exec(e);
  if (v) return lookup(scope.variable(v[1]!), v[2] ? v[2].slice(1).split('.') : []);
  return undefined;
}

function backendOf(blocks: HclBlock[], hcl: string | undefined): TfRoot['backend'] {
  for (const t of blocks.filter((b) => b.type === 'terraform')) {
    const b = t.blocks.find((x) => x.type === 'backend');
    if (!b) continue;
    const config = { ...b.attrs, ...(hcl ? parseAttrs(hcl) : {}) };
    return {
      type: b.labels[0] ?? 'local',
      ...(literal(config.bucket) ? { bucket: literal(config.bucket)! } : {}),
      ...(literal(config.key) ? { key: literal(config.key)! } : {}),
    };
  }
  return undefined;
}

function parseAttrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^[ \t]*([\w-]+)[ \t]*=[ \t]*(.+)$/gm)) out[m[1]!] = m[2]!.trim();
  return out;
}

function providerOf(b: HclBlock): string {
  const explicit = b.attrs.provider?.trim();
  if (explicit) return explicit;
  return b.labels[0]!.split('_')[0]!;
}

/** Instances of a counted / for_each resource, or undefined for a plain one. */
function instancesOf(b: HclBlock, scope: Scope): string[] | undefined {
  if (b.attrs.count !== undefined) {
    const n = evaluate(b.attrs.count, scope);
    if (typeof n === 'number') return Array.from({ length: n }, (_, i) => String(i));
    return undefined;
  }
  if (b.attrs.for_each !== undefined) {
    const v = evaluate(b.attrs.for_each, scope);
    if (Array.isArray(v)) return v.map(String);
    if (v && typeof v === 'object') return Object.keys(v);
  }
  return undefined;
}

/** Reads every Terraform root in the generated files. */
export function readTerraform(files: readonly GeneratedFile[]): TfRoot[] {
  const byDir = new Map<string, GeneratedFile[]>();
  for (const f of files) {
    if (!f.path.startsWith('terraform/')) continue;
    const d = dirOf(f.path);
    const list = byDir.get(d) ?? [];
    list.push(f);
    byDir.set(d, list);
  }
  const parsed = new Map<string, HclBlock[]>();
  const blocksOf = (dir: string): HclBlock[] => {
    let blocks = parsed.get(dir);
    if (!blocks) {
      blocks = (byDir.get(dir) ?? [])
        .filter((f) => f.path.endsWith('.tf'))
        .flatMap((f) => parseHcl(f.content));
      parsed.set(dir, blocks);
    }
    return blocks;
  };

  const roots: TfRoot[] = [];
  for (const [dir, dirFiles] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    if (dir.startsWith('terraform/modules/') || !dirFiles.some((f) => f.path.endsWith('.tf'))) continue;
    const varsFile = dirFiles.find((f) => f.path.endsWith('terraform.tfvars.json'));
    const tfvars = varsFile ? (JSON.parse(varsFile.content) as Record<string, unknown>) : {};
    const blocks = blocksOf(dir);
    const phase = phaseOf(dir, byDir);
    const env =
      typeof tfvars.environment === 'string'
        ? tfvars.environment
        : (phase.env ?? (dir.startsWith('terraform/environments/') ? dir.split('/')[2]! : dir));
    const rootScope: Scope = { variable: (n) => tfvars[n] };
    const resources: TfResource[] = [];
    const moduleAddresses = new Map<string, string[]>();

    const addResources = (
      list: HclBlock[],
      scope: Scope,
      prefix: string,
      module: string | undefined,
      inherited: string[],
    ) => {
      const local = (ref: string) => `${prefix}${ref}`;
      for (const b of list) {
        if (b.type === 'module') {
          const source = literal(b.attrs.source);
          if (!source?.startsWith('.')) continue;
          const modDir = normalizePath(`${dir}/${source}`);
          const modScope: Scope = { variable: (n) => evaluate(b.attrs[n], scope) };
          const name = `${prefix}module.${b.labels[0]}`;
          const before = resources.length;
          const modRefs = blockReferences(b).map(local);
          addResources(blocksOf(modDir), modScope, `${name}.`, b.labels[0], [...inherited, ...modRefs]);
          moduleAddresses.set(
            name,
            resources.slice(before).map((r) => r.address),
          );
          continue;
        }
        if (b.type !== 'resource' && b.type !== 'data') continue;
        const [type, rname] = b.labels as [string, string];
        const address = b.type === 'data' ? `${prefix}data.${type}.${rname}` : `${prefix}${type}.${rname}`;
        const instances = instancesOf(b, scope);
        resources.push({
          address,
          type: b.type === 'data' ? `data.${type}` : type,
          name: rname,
          ...(module ? { module } : {}),
          block: b,
          deps: [...inherited, ...blockReferences(b).map(local)],
          provider: providerOf(b),
          ...(instances ? { instances } : {}),
          value: (expr, each) => evaluate(expr, scope, each),
        });
      }
    };
    addResources(blocks, rootScope, '', undefined, []);

    // Expand module references into the addresses of the module's resources.
    const expand = (refs: string[]): string[] =>
      refs.flatMap((r) => (moduleAddresses.has(r) ? moduleAddresses.get(r)! : [r]));
    for (const r of resources) r.deps = [...new Set(expand(r.deps))].filter((d) => d !== r.address);

    const providers: TfProvider[] = blocks
      .filter((b) => b.type === 'provider')
      .map((b) => {
        const alias = literal(b.attrs.alias);
        return {
          key: alias ? `${b.labels[0]}.${alias}` : b.labels[0]!,
          block: b,
          refs: expand(blockReferences(b)),
        };
      });
    // A resource waits for what its provider's configuration reads.
    for (const r of resources) {
      const p = providers.find((x) => x.key === r.provider);
      if (p) r.deps = [...new Set([...r.deps, ...p.refs])];
    }
    const backendHcl = dirFiles.find((f) => f.path.endsWith('backend.hcl'))?.content;
    const backend = backendOf(blocks, backendHcl);
    const remoteStateKeys = resources
      .filter((r) => r.type === 'data.terraform_remote_state')
      .map((r) => /key\s*=\s*"([^"]+)"/.exec(r.block.body)?.[1])
      .filter((k): k is string => k !== undefined);
    roots.push({
      dir,
      blocks,
      env,
      tfvars,
      ...(phase.phase !== undefined ? { phase: phase.phase, phaseIndex: phase.phaseIndex! } : {}),
      inputs: phase.inputs,
      ...(backend ? { backend } : {}),
      providers,
      resources,
      remoteStateKeys,
    });
  }
  return roots;
}
