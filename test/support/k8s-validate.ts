/**
 * Validation of emitted Kubernetes objects, two ways:
 *
 * 1. Schema: every object through its kubernetes-models / @kubernetes-models/* class (`validate()` runs the
 *    OpenAPI schema of the kind: types, required fields, enums, formats).
 * 2. Unknown fields: kubernetes-models accepts fields that do not exist (a typo like `replicaz` passes), so
 *    every field of every built-in kind is looked up in the official Kubernetes type definitions — the
 *    attribute type maps of @kubernetes/client-node's generated models (what its ObjectSerializer uses).
 *    CRDs (ArgoCD, Prometheus Operator, Sealed Secrets, cert-manager) have no such maps; their fields are
 *    looked up in the @kubernetes-models type declarations (.d.ts) instead, which follow the CRDs' schemas.
 *
 * Both are test-only: nothing here is bundled into envc.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export interface KubeLike {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
  [k: string]: unknown;
}

export interface Problem {
  /** `Kind/namespace/name`. */
  object: string;
  /** JSON path inside the object, e.g. `.spec.template.spec.containers[0].replicaz`. */
  path: string;
  message: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_MODULES = join(ROOT, 'node_modules');

/** Every object of the YAML files among `files` (generated paths), with the file it came from. */
export function manifestsOf(
  files: ReadonlyArray<{ path: string; content: string }>,
): Array<{ file: string; object: KubeLike }> {
  const out: Array<{ file: string; object: KubeLike }> = [];
  for (const f of files) {
    if (!f.path.startsWith('kubernetes/') || !f.path.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(f.content)) {
      if (doc.errors.length > 0) throw new Error(`${f.path}: ${doc.errors[0]!.message}`);
      const object = doc.toJS() as KubeLike | null;
      if (object) out.push({ file: f.path, object });
    }
  }
  return out;
}

export function keyOf(o: KubeLike): string {
  return o.metadata?.namespace
    ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
    : `${o.kind}/${o.metadata?.name}`;
}

/** Custom resource groups and the @kubernetes-models package that types them. */
export const CRD_PACKAGES: Record<string, string> = {
  'argoproj.io': '@kubernetes-models/argo-cd',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'bitnami.com': '@kubernetes-models/sealed-secrets',
  'cert-manager.io': '@kubernetes-models/cert-manager',
};

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Module path of the kind's class: `kubernetes-models/apps/v1/Deployment`, `@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application`. */
export function modelModule(apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  const crd = CRD_PACKAGES[group];
  if (crd) return `${crd}/${group}/${version}/${kind}`;
  return group === ''
    ? `kubernetes-models/${version}/${kind}`
    : `kubernetes-models/${group}/${version}/${kind}`;
}

type ModelClass = new (data: unknown) => { validate(): void };
const classCache = new Map<string, Promise<ModelClass | undefined>>();

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const mod = modelModule(apiVersion, kind);
  let p = classCache.get(mod);
  if (!p) {
    p = import(mod).then(
      (m: Record<string, unknown>) => m[kind] as ModelClass | undefined,
      () => undefined,
    );
    classCache.set(mod, p);
  }
  return p;
}

/** Schema validation with kubernetes-models (types, required fields, enums, patterns). */
export async function schemaProblems(o: KubeLike): Promise<Problem[]> {
  const Cls = await modelClass(o.apiVersion, o.kind);
  if (!Cls)
    return [
      { object: keyOf(o), path: '', message: `no kubernetes-models class for ${o.apiVersion} ${o.kind}` },
    ];
  try {
    // The constructor copies the data; validate() checks it against the kind's OpenAPI schema.
    const { apiVersion: _a, kind: _k, ...data } = o;
    new Cls(data).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath?: string; message?: string; params?: unknown }> })
      .errors;
    if (!errors) return [{ object: keyOf(o), path: '', message: (err as Error).message }];
    return errors.map((e) => ({
      object: keyOf(o),
      path: e.instancePath ?? '',
      message: `${e.message ?? 'invalid'} ${JSON.stringify(e.params ?? {})}`,
    }));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Unknown fields of built-in kinds: @kubernetes/client-node's attribute type maps.

type AttributeMap = Array<{ name: string; baseName: string; type: string }>;
type ClientModels = Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>;
let clientModels: Promise<ClientModels> | undefined;

function loadClientModels(): Promise<ClientModels> {
  clientModels ??= import('@kubernetes/client-node') as unknown as Promise<ClientModels>;
  return clientModels;
}

/** `apps/v1` + `Deployment` → `V1Deployment`; `autoscaling/v2` + HPA → `V2HorizontalPodAutoscaler`. */
export function clientTypeName(apiVersion: string, kind: string): string {
  const { version } = splitApiVersion(apiVersion);
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const PRIMITIVE = new Set(['string', 'number', 'boolean', 'any', 'Date', 'object', 'IntOrString']);

function typeMismatch(value: unknown, type: string): string | undefined {
  if (type === 'string' && typeof value !== 'string')
    return `expected a string, got ${JSON.stringify(value)}`;
  if (type === 'number' && typeof value !== 'number')
    return `expected a number, got ${JSON.stringify(value)}`;
  if (type === 'boolean' && typeof value !== 'boolean')
    return `expected a boolean, got ${JSON.stringify(value)}`;
  if (type === 'IntOrString' && typeof value !== 'string' && typeof value !== 'number')
    return `expected an int or a string, got ${JSON.stringify(value)}`;
  return undefined;
}

function walkClient(
  models: ClientModels,
  value: unknown,
  type: string,
  path: string,
  out: Array<Omit<Problem, 'object'>>,
): void {
  if (value === undefined || value === null) return;
  if (type.startsWith('Array<') && type.endsWith('>')) {
    if (!Array.isArray(value)) {
      out.push({ path, message: `expected a list (${type})` });
      return;
    }
    const sub = type.slice(6, -1);
    for (const [i, v] of value.entries()) walkClient(models, v, sub, `${path}[${i}]`, out);
    return;
  }
  if (type.startsWith('{ [key: string]: ') && type.endsWith('; }')) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ path, message: `expected a map (${type})` });
      return;
    }
    const sub = type.slice('{ [key: string]: '.length, -'; }'.length);
    for (const [k, v] of Object.entries(value))
      walkClient(models, v, sub, `${path}[${JSON.stringify(k)}]`, out);
    return;
  }
  if (PRIMITIVE.has(type)) {
    const m = typeMismatch(value, type);
    if (m) out.push({ path, message: m });
    return;
  }
  const attrs = models[type]?.getAttributeTypeMap?.();
  if (!attrs) return; // an enum or a type the maps do not describe: nothing more to check
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.push({ path, message: `expected an object (${type})` });
    return;
  }
  const byName = new Map(attrs.map((a) => [a.baseName, a]));
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const a = byName.get(k);
    if (!a) {
      out.push({
        path: `${path}.${k}`,
        message: `unknown field "${k}" in ${type} (known: ${[...byName.keys()].sort().join(', ')})`,
      });
      continue;
    }
    walkClient(models, v, a.type, `${path}.${k}`, out);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Unknown fields of CRDs: the @kubernetes-models .d.ts declarations (generated from the CRD schemas).

type TypeNode =
  | { kind: 'any' }
  | { kind: 'array'; of: TypeNode }
  | { kind: 'map'; of: TypeNode }
  | { kind: 'object'; props: Map<string, TypeNode>; index?: TypeNode }
  | { kind: 'ref'; name: string; file: string }
  | { kind: 'union'; of: TypeNode[] }
  /** An interface with `extends`: its own fields plus its bases'. */
  | { kind: 'intersection'; of: TypeNode[] };

interface DtsFile {
  imports: Map<string, string>;
  /** Declared name → type. */
  decls: Map<string, TypeNode>;
  /** Exported alias → declared name (`export type { IFoo as ILongFoo }`). */
  aliases: Map<string, string>;
}

const dtsCache = new Map<string, DtsFile>();

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** A tiny parser for the type expressions the kubernetes-models generator emits. */
class TypeParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}
  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  private peek(t: string): boolean {
    this.ws();
    return this.s.startsWith(t, this.i);
  }
  private eat(t: string): void {
    this.ws();
    if (!this.s.startsWith(t, this.i))
      throw new Error(`${this.file}: expected ${t} at ${this.s.slice(this.i, this.i + 40)}`);
    this.i += t.length;
  }
  type(): TypeNode {
    const alts: TypeNode[] = [this.primary()];
    while (this.peek('|')) {
      this.eat('|');
      alts.push(this.primary());
    }
    return alts.length === 1 ? alts[0]! : { kind: 'union', of: alts };
  }
  private primary(): TypeNode {
    this.ws();
    if (this.peek('Array<')) {
      this.eat('Array<');
      const of = this.type();
      this.eat('>');
      return { kind: 'array', of };
    }
    if (this.peek('{')) return this.objectLiteral();
    if (this.peek('"')) {
      const end = this.s.indexOf('"', this.i + 1);
      this.i = end + 1;
      return { kind: 'any' };
    }
    const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`${this.file}: cannot parse type at ${this.s.slice(this.i, this.i + 40)}`);
    this.i += m[0].length;
    let node: TypeNode = /^(string|number|boolean|any|unknown|object|null|undefined|Date)$/.test(m[0])
      ? { kind: 'any' }
      : { kind: 'ref', name: m[0], file: this.file };
    while (this.peek('[]')) {
      this.eat('[]');
      node = { kind: 'array', of: node };
    }
    return node;
  }
  objectLiteral(): TypeNode {
    this.eat('{');
    const props = new Map<string, TypeNode>();
    let index: TypeNode | undefined;
    while (!this.peek('}')) {
      if (this.peek('[')) {
        this.eat('[');
        this.i = this.s.indexOf(']', this.i) + 1;
        this.eat(':');
        index = this.type();
      } else {
        this.ws();
        const m = /^"([^"]+)"|^([A-Za-z_$][\w$]*)/.exec(this.s.slice(this.i));
        if (!m)
          throw new Error(`${this.file}: cannot parse property at ${this.s.slice(this.i, this.i + 40)}`);
        this.i += m[0].length;
        if (this.peek('?')) this.eat('?');
        this.eat(':');
        props.set(m[1] ?? m[2]!, this.type());
      }
      if (this.peek(';')) this.eat(';');
      else if (this.peek(',')) this.eat(',');
    }
    this.eat('}');
    if (props.size === 0 && index) return { kind: 'map', of: index };
    // An empty interface (e.g. apiextensions JSON) stands for any value.
    if (props.size === 0) return { kind: 'any' };
    return { kind: 'object', props, ...(index ? { index } : {}) };
  }
}

function resolveImport(fromFile: string, spec: string): string {
  if (spec.startsWith('.')) return resolve(dirname(fromFile), spec.replace(/\.js$/, '.d.ts'));
  const parts = spec.split('/');
  const pkgLen = spec.startsWith('@') ? 2 : 1;
  const pkg = parts.slice(0, pkgLen).join('/');
  const sub = parts.slice(pkgLen).join('/');
  return join(NODE_MODULES, pkg, sub === '' ? 'index.d.ts' : `${sub.replace(/\.js$/, '')}.d.ts`);
}

function loadDts(file: string): DtsFile {
  const cached = dtsCache.get(file);
  if (cached) return cached;
  const text = stripComments(readFileSync(file, 'utf8'));
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const name of m[1]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)) {
      const [orig, local] = name.split(/\s+as\s+/);
      imports.set((local ?? orig)!.trim(), resolveImport(file, m[2]!));
    }
  }
  const decls = new Map<string, TypeNode>();
  for (const m of text.matchAll(/export interface (\w+)(?:\s+extends\s+([\w, ]+))?\s*\{/g)) {
    const p = new TypeParser(text, file);
    (p as unknown as { i: number }).i = m.index! + m[0].length - 1;
    const own = p.objectLiteral();
    const bases = (m[2] ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== '' && b !== 'TypeMeta')
      .map((name): TypeNode => ({ kind: 'ref', name, file }));
    decls.set(m[1]!, bases.length > 0 ? { kind: 'intersection', of: [own, ...bases] } : own);
  }
  for (const m of text.matchAll(/export type (\w+) = /g)) {
    const p = new TypeParser(text, file);
    (p as unknown as { i: number }).i = m.index! + m[0].length;
    decls.set(m[1]!, p.type());
  }
  const aliases = new Map<string, string>();
  for (const m of text.matchAll(/export type \{([^}]*)\}/g)) {
    for (const pair of m[1]!.split(',')) {
      const [orig, alias] = pair.split(/\s+as\s+/).map((x) => x.trim());
      if (orig && alias) aliases.set(alias, orig);
    }
  }
  const f = { imports, decls, aliases };
  dtsCache.set(file, f);
  return f;
}

function deref(node: TypeNode, depth = 0): TypeNode {
  if (node.kind !== 'ref' || depth > 20) return node;
  const here = loadDts(node.file);
  if (here.decls.has(node.name)) return deref(here.decls.get(node.name)!, depth + 1);
  const target = here.imports.get(node.name);
  if (!target) return { kind: 'any' };
  const there = loadDts(target);
  const declared = there.aliases.get(node.name) ?? node.name;
  const decl = there.decls.get(declared);
  return decl ? deref(decl, depth + 1) : { kind: 'any' };
}

function walkDts(value: unknown, type: TypeNode, path: string, out: Array<Omit<Problem, 'object'>>): void {
  if (value === undefined || value === null) return;
  const t = deref(type);
  switch (t.kind) {
    case 'any':
      return;
    case 'array':
      if (!Array.isArray(value)) out.push({ path, message: 'expected a list' });
      else for (const [i, v] of value.entries()) walkDts(v, t.of, `${path}[${i}]`, out);
      return;
    case 'map':
      if (typeof value === 'object' && !Array.isArray(value))
        for (const [k, v] of Object.entries(value)) walkDts(v, t.of, `${path}[${JSON.stringify(k)}]`, out);
      return;
    case 'union': {
      // Fine if any alternative takes the value without unknown fields.
      const attempts = t.of.map((alt) => {
        const o: Array<Omit<Problem, 'object'>> = [];
        walkDts(value, alt, path, o);
        return o;
      });
      if (!attempts.some((a) => a.length === 0)) out.push(...attempts[0]!);
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return; // kubernetes-models' schema check reports types
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const p = t.props.get(k);
        if (p) walkDts(v, p, `${path}.${k}`, out);
        else if (t.index) walkDts(v, t.index, `${path}.${k}`, out);
        else
          out.push({
            path: `${path}.${k}`,
            message: `unknown field "${k}" (known: ${[...t.props.keys()].sort().join(', ')})`,
          });
      }
      return;
    }
    case 'intersection': {
      const props = new Map<string, TypeNode>();
      const collect = (node: TypeNode): void => {
        const d = deref(node);
        if (d.kind === 'object') for (const [k, v] of d.props) props.set(k, v);
        else if (d.kind === 'intersection') d.of.forEach(collect);
      };
      t.of.forEach(collect);
      walkDts(value, { kind: 'object', props }, path, out);
      return;
    }
    case 'ref':
      return;
  }
}

/** Fields the kind's official definition does not have (built-ins: client-node; CRDs: @kubernetes-models .d.ts). */
export async function unknownFieldProblems(o: KubeLike): Promise<Problem[]> {
  const { group } = splitApiVersion(o.apiVersion);
  const out: Array<Omit<Problem, 'object'>> = [];
  if (CRD_PACKAGES[group]) {
    const file = join(NODE_MODULES, `${modelModule(o.apiVersion, o.kind)}.d.ts`);
    const root = loadDts(file).decls.get(`I${o.kind}`);
    if (!root)
      return [{ object: keyOf(o), path: '', message: `no type declaration for ${o.apiVersion} ${o.kind}` }];
    walkDts(o, root, '', out);
  } else {
    const models = await loadClientModels();
    const type = clientTypeName(o.apiVersion, o.kind);
    if (!models[type]?.getAttributeTypeMap)
      return [
        {
          object: keyOf(o),
          path: '',
          message: `no official type definition ${type} for ${o.apiVersion} ${o.kind}`,
        },
      ];
    walkClient(models, o, type, '', out);
  }
  return out.map((p) => ({ object: keyOf(o), ...p }));
}

/** Both checks over a list of objects; an empty result means every object is valid and has only known fields. */
export async function validateObjects(objects: readonly KubeLike[]): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const o of objects) {
    out.push(...(await schemaProblems(o)), ...(await unknownFieldProblems(o)));
  }
  return out;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.object}${p.path}: ${p.message}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Pod Security Standards, `restricted` profile (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// plus what envc promises on top: read-only root filesystem, requests and limits, liveness and readiness probes.

interface ContainerLike {
  name: string;
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
  };
  ports?: Array<{ hostPort?: number }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

export interface PodSpecLike {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
  volumes?: Array<Record<string, unknown>>;
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
}

const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Violations of the restricted profile (and envc's extras) in one pod spec; empty when it passes. */
export function restrictedViolations(spec: PodSpecLike): string[] {
  const out: string[] = [];
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('host namespaces are shared');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${String(v.name)} has type ${type}`);
  }
  const podSc = spec.securityContext ?? {};
  if (podSc.runAsUser === 0) out.push('pod runs as user 0');
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    const who = `container ${c.name}`;
    if (sc.privileged) out.push(`${who} is privileged`);
    if (sc.allowPrivilegeEscalation !== false)
      out.push(`${who} does not set allowPrivilegeEscalation: false`);
    if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) out.push(`${who} may run as root (runAsNonRoot not true)`);
    if (sc.runAsUser === 0) out.push(`${who} runs as user 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${who} has seccomp profile ${seccomp ?? 'unset'}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${who} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE') out.push(`${who} adds capability ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${who} uses hostPort ${p.hostPort}`);
    // envc's own promises on top of the profile.
    if (sc.readOnlyRootFilesystem !== true) out.push(`${who} has a writable root filesystem`);
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory'])
        if (!c.resources?.[kind]?.[r]) out.push(`${who} has no ${r} ${kind}`);
    }
    if (!c.livenessProbe) out.push(`${who} has no liveness probe`);
    if (!c.readinessProbe) out.push(`${who} has no readiness probe`);
  }
  return out;
}

const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

/** The pod template of a workload object, if it has one. */
export function podSpecOf(o: KubeLike): PodSpecLike | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  const spec = o.spec as
    | { template?: { spec?: PodSpecLike }; jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } } }
    | undefined;
  if (o.kind === 'Pod') return o.spec as PodSpecLike;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}
