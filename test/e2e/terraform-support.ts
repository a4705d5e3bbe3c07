/**
 * Helpers of the Terraform tests: writing an emitted tree to disk, the real terraform binary (with the CI
 * rule: when CI=true a missing terraform fails loudly, otherwise tests skip and say why), and the reference
 * resolver that proves every variable is set and every module output, variable, local and remote-state output
 * referenced anywhere exists.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { EXTERNAL_SECRETS } from '../../src/compiler/emitters/helm/values.js';
import type { GeneratedFile } from '../../src/compiler/emitters/types.js';
import { parseHcl } from '../support/tf-schema-check.js';

/** Root variables only the operator supplies, at run time. */
const OPERATOR_INPUTS = new Set<string>([EXTERNAL_SECRETS.alertmanagerSlack.variable]);

export function writeTree(
  files: readonly GeneratedFile[],
  dir = mkdtempSync(join(tmpdir(), 'envc-tf-')),
): string {
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  return dir;
}

// --- the terraform binary -----------------------------------------------------------------------------------

function which(): string | undefined {
  const r = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

const version = which();
/** Why terraform tests are skipped (undefined: they run). Throws when CI=true and terraform is missing. */
export const terraformSkipReason: string | undefined = (() => {
  if (version) return undefined;
  if (process.env.CI === 'true')
    throw new Error('CI=true but `terraform` is not on PATH: the Terraform tests must run in CI');
  const reason =
    'terraform is not on PATH: skipping the tests that run the real binary (they are required when CI=true)';
  console.warn(`⚠ ${reason}`);
  return reason;
})();

let rcFile: string | undefined;
function tfEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    // What an operator exports before `envc apply` (a made-up webhook: nothing is ever posted).
    [`TF_VAR_${EXTERNAL_SECRETS.alertmanagerSlack.variable}`]: 'https://hooks.slack.invalid/services/T0/B0/x',
  };
  // An empty CLI config: the machine's TF_CLI_CONFIG_FILE points at a missing file and terraform warns.
  if (!rcFile) {
    rcFile = join(mkdtempSync(join(tmpdir(), 'envc-tfrc-')), 'terraformrc');
    writeFileSync(rcFile, '');
  }
  env.TF_CLI_CONFIG_FILE = rcFile;
  return env;
}

export interface TfResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function terraform(args: string[], cwd: string): TfResult {
  const r = spawnSync('terraform', args, { cwd, env: tfEnv(), encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function terraformVersion(): string | undefined {
  return version;
}

/** `terraform fmt -check -recursive` → the list of unformatted files (empty when all are formatted). */
export function fmtCheck(dir: string): { status: number; files: string[]; stderr: string } {
  const r = terraform(['fmt', '-check', '-recursive', '-list=true', '-no-color', '.'], dir);
  return { status: r.status, files: r.stdout.split('\n').filter((l) => l.trim() !== ''), stderr: r.stderr };
}

// --- the tree as Terraform sees it ---------------------------------------------------------------------------

export type Parsed = Map<string, Record<string, unknown>>;

export async function parseAll(files: readonly GeneratedFile[]): Promise<Parsed> {
  const out: Parsed = new Map();
  for (const f of files) if (f.path.endsWith('.tf')) out.set(f.path, await parseHcl(f.path, f.content));
  return out;
}

/** Files grouped by directory (a Terraform module is a directory). */
export function byDir(files: readonly GeneratedFile[]): Map<string, GeneratedFile[]> {
  const out = new Map<string, GeneratedFile[]>();
  for (const f of files) {
    const d = posix.dirname(f.path);
    out.set(d, [...(out.get(d) ?? []), f]);
  }
  return out;
}

type Body = Record<string, unknown>;

function blocksOf(parsed: Parsed, dir: string, kind: string): Array<[string, Body]> {
  const out: Array<[string, Body]> = [];
  for (const [path, json] of parsed) {
    if (posix.dirname(path) !== dir) continue;
    const k = json[kind];
    if (kind === 'locals') {
      for (const l of (k ?? []) as Body[]) for (const name of Object.keys(l)) out.push([name, l]);
      continue;
    }
    for (const [name, bodies] of Object.entries((k ?? {}) as Record<string, Body[]>)) {
      for (const b of bodies) out.push([name, b]);
    }
  }
  return out;
}

export function variablesIn(parsed: Parsed, dir: string): Map<string, { hasDefault: boolean; body: Body }> {
  return new Map(
    blocksOf(parsed, dir, 'variable').map(([n, b]) => [n, { hasDefault: 'default' in b, body: b }]),
  );
}

export function outputsIn(parsed: Parsed, dir: string): Map<string, { sensitive: boolean; body: Body }> {
  return new Map(
    blocksOf(parsed, dir, 'output').map(([n, b]) => [n, { sensitive: b.sensitive === true, body: b }]),
  );
}

export function modulesIn(parsed: Parsed, dir: string): Map<string, Body> {
  return new Map(blocksOf(parsed, dir, 'module'));
}

export function localsIn(parsed: Parsed, dir: string): Set<string> {
  return new Set(blocksOf(parsed, dir, 'locals').map(([n]) => n));
}

/** Every `${...}` expression string in a value, recursively. */
export function expressions(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('${') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/** All expressions of a module directory, with the file they are in. */
function expressionsIn(parsed: Parsed, dir: string): Array<{ file: string; expr: string }> {
  const out: Array<{ file: string; expr: string }> = [];
  for (const [path, json] of parsed)
    if (posix.dirname(path) === dir) for (const e of expressions(json)) out.push({ file: path, expr: e });
  return out;
}

const RESOURCE_TYPE = /\b((?:linode|helm|kubernetes)_[a-z0-9_]+)\.([a-z_][a-z0-9_-]*)/g;

export interface ReferenceProblem {
  file: string;
  message: string;
}

/**
 * Resolves every reference of every module directory in the tree:
 * - `var.X` is declared; `local.X` is defined; `module.M.O` names a module call M whose source directory
 *   exists in the tree and declares output O; a resource reference names a resource of the same directory;
 *   `data.terraform_remote_state.R.outputs.O` names an output of the stack whose state R reads.
 * - every module call passes only declared variables and every variable without a default;
 * - every variable of an environment stack is set by terraform.tfvars.json (or has a default), and the tfvars
 *   file sets nothing undeclared.
 * `remoteStateStacks` maps a remote-state data source name to the directory of the stack it reads.
 */
export function resolveReferences(
  files: readonly GeneratedFile[],
  parsed: Parsed,
  remoteStateStacks: (dir: string, name: string) => string | undefined,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const dirs = new Set([...parsed.keys()].map((p) => posix.dirname(p)));
  const contents = new Map(files.map((f) => [f.path, f.content]));
  for (const dir of dirs) {
    const vars = variablesIn(parsed, dir);
    const locals = localsIn(parsed, dir);
    const modules = modulesIn(parsed, dir);
    const resources = new Set<string>();
    for (const [path, json] of parsed) {
      if (posix.dirname(path) !== dir) continue;
      for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Body>))
        for (const n of Object.keys(byName)) resources.add(`${type}.${n}`);
      for (const [type, byName] of Object.entries((json.data ?? {}) as Record<string, Body>))
        for (const n of Object.keys(byName)) resources.add(`data.${type}.${n}`);
    }
    for (const { file, expr } of expressionsIn(parsed, dir)) {
      for (const m of expr.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g))
        if (!vars.has(m[1]!)) problems.push({ file, message: `var.${m[1]} is not declared` });
      for (const m of expr.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g))
        if (!locals.has(m[1]!)) problems.push({ file, message: `local.${m[1]} is not defined` });
      for (const m of expr.matchAll(/\bmodule\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g)) {
        const call = modules.get(m[1]!);
        if (!call) {
          problems.push({ file, message: `module.${m[1]} is not called in ${dir}` });
          continue;
        }
        const target = posix.normalize(posix.join(dir, String(call.source)));
        if (!outputsIn(parsed, target).has(m[2]!))
          problems.push({
            file,
            message: `module.${m[1]}.${m[2]}: ${target} has no output ${JSON.stringify(m[2])}`,
          });
      }
      for (const m of expr.matchAll(
        /\bdata\.terraform_remote_state\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g,
      )) {
        const target = remoteStateStacks(dir, m[1]!);
        if (!target)
          problems.push({ file, message: `data.terraform_remote_state.${m[1]}: no stack known for it` });
        else if (!outputsIn(parsed, target).has(m[2]!))
          problems.push({
            file,
            message: `data.terraform_remote_state.${m[1]}.outputs.${m[2]}: ${target} has no such output`,
          });
      }
      for (const m of expr.matchAll(RESOURCE_TYPE)) {
        const isData = expr.slice(Math.max(0, m.index - 5), m.index) === 'data.';
        const ref = `${isData ? 'data.' : ''}${m[1]}.${m[2]}`;
        if (!resources.has(ref))
          problems.push({
            file,
            message: `${ref} is not a ${isData ? 'data source' : 'resource'} of ${dir}`,
          });
      }
    }
    for (const [name, call] of modules) {
      const target = posix.normalize(posix.join(dir, String(call.source)));
      const mvars = variablesIn(parsed, target);
      if (mvars.size === 0) {
        problems.push({
          file: dir,
          message: `module "${name}": source ${String(call.source)} (${target}) is not a module of the tree`,
        });
        continue;
      }
      for (const arg of Object.keys(call)) {
        if (['source', 'version', 'providers', 'depends_on', 'count', 'for_each'].includes(arg)) continue;
        if (!mvars.has(arg))
          problems.push({
            file: dir,
            message: `module "${name}" passes ${arg}, which ${target} does not declare`,
          });
      }
      for (const [v, info] of mvars)
        if (!info.hasDefault && !(v in call))
          problems.push({
            file: dir,
            message: `module "${name}" does not set the required variable ${v} of ${target}`,
          });
    }
    const tfvarsText = contents.get(`${dir}/terraform.tfvars.json`);
    if (dir.startsWith('terraform/environments/')) {
      if (!tfvarsText) {
        problems.push({ file: dir, message: 'no terraform.tfvars.json' });
        continue;
      }
      const tfvars = JSON.parse(tfvarsText) as Record<string, unknown>;
      // A platform root's inputs come from the runner (phases.json: TF_VAR_<name> from an earlier root).
      const inputs = phaseInputs(contents, dir);
      // The operator supplies a few values at run time (TF_VAR_<name>; the runner's preflight asks for them).
      for (const [v, info] of vars)
        if (!info.hasDefault && !(v in tfvars) && !inputs.has(v) && !OPERATOR_INPUTS.has(v))
          problems.push({
            file: `${dir}/terraform.tfvars.json`,
            message: `variable ${v} is declared but not set`,
          });
      for (const k of Object.keys(tfvars))
        if (k !== '//' && !vars.has(k))
          problems.push({ file: `${dir}/terraform.tfvars.json`, message: `${k} is set but not declared` });
    }
  }
  return problems;
}

/** The runner-supplied inputs of a root: phases.json next to it names them. */
export function phaseInputs(contents: Map<string, string>, dir: string): Set<string> {
  const text = contents.get(`${posix.dirname(dir)}/phases.json`);
  if (!text) return new Set();
  const phase = (
    JSON.parse(text) as { phases: Array<{ dir: string; inputs: Record<string, unknown> }> }
  ).phases.find((p) => posix.join(posix.dirname(dir), p.dir) === dir);
  return new Set(Object.keys(phase?.inputs ?? {}));
}

/** Stand-in values for the runner-supplied inputs, shaped like the cluster root's outputs. */
const INPUT_STUBS: Record<string, unknown> = {
  cluster: {
    cluster_id: 1,
    api_server_url: 'https://1.example:443',
    api_addresses: ['192.0.2.10'],
    ingress_nodebalancer_id: 2,
    postgres: { host: 'db.example', port: 12345, addresses: ['192.0.2.21', '192.0.2.22'] },
  },
  postgres_ca: 'ca',
  argocd_cluster: { cluster_id: 3 },
};

// --- variables-only shadow of a stack, for real `terraform plan` runs -----------------------------------------

/**
 * A copy of an environment stack that real Terraform can plan offline: the stack's variables.tf, locals.tf and
 * terraform.tfvars.json, and its module calls pointing at copies of the modules that hold only their
 * variables.tf. No resources and no providers, so `terraform init` downloads nothing — but `terraform plan`
 * type-checks every tfvars value against its declaration and runs every variable validation of the stack and
 * of the modules with the values the stack really passes. References to other modules' outputs (known only
 * after apply) become null.
 */
export function shadowStack(
  files: readonly GeneratedFile[],
  stackDir: string,
  tfvarsOverride?: Record<string, unknown>,
): string {
  const get = (p: string) => files.find((f) => f.path === p)?.content;
  const main = get(`${stackDir}/main.tf`) ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'envc-tf-shadow-'));
  writeFileSync(join(dir, 'variables.tf'), get(`${stackDir}/variables.tf`) ?? '');
  // Locals that read data sources (the platform root's cluster credentials) have no data source here: keep the
  // plain ones (tags, the values directory).
  const locals = (get(`${stackDir}/locals.tf`) ?? '').includes('data.')
    ? `locals {\n${(get(`${stackDir}/locals.tf`) ?? '')
        .split('\n')
        .filter((l) => /^\s*helm_values_dir\s*=/.test(l))
        .join('\n')}\n}\n`
    : (get(`${stackDir}/locals.tf`) ?? '');
  writeFileSync(join(dir, 'locals.tf'), locals);
  const tfvars =
    tfvarsOverride ??
    (JSON.parse(get(`${stackDir}/terraform.tfvars.json`) ?? '{}') as Record<string, unknown>);
  const contents = new Map(files.map((f) => [f.path, f.content]));
  const withInputs: Record<string, unknown> = { ...tfvars };
  for (const name of phaseInputs(contents, stackDir)) withInputs[name] = INPUT_STUBS[name];
  writeFileSync(join(dir, 'terraform.tfvars.json'), JSON.stringify(withInputs));
  const calls: string[] = [];
  let current: string[] | undefined;
  for (const line of main.split('\n')) {
    if (!current && /^module "[^"]+" \{$/.test(line)) current = [line];
    else if (current) {
      current.push(line);
      if (line === '}') {
        calls.push(current.join('\n'));
        current = undefined;
      }
    }
  }
  const shadowCalls = calls.map((block) =>
    block
      .split('\n')
      .filter((l) => !/^\s*depends_on\s*=/.test(l))
      .map((l) => {
        const src = /^(\s*source\s*=\s*)"(?:\.\.\/)+modules\/([^"]+)"$/.exec(l);
        if (src) {
          const moduleDir = src[2]!;
          mkdirSync(join(dir, 'shadow', moduleDir), { recursive: true });
          writeFileSync(
            join(dir, 'shadow', moduleDir, 'variables.tf'),
            get(`terraform/modules/${moduleDir}/variables.tf`) ?? '',
          );
          return `${src[1]}"./shadow/${moduleDir}"`;
        }
        return l.replace(/\bmodule\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*/g, 'null');
      })
      .join('\n'),
  );
  writeFileSync(join(dir, 'main.tf'), `${shadowCalls.join('\n\n')}\n`);
  return dir;
}

/** init + plan of a shadow stack; status 0 means every type check and validation passed. */
export function planShadow(dir: string): TfResult {
  const init = terraform(['init', '-input=false', '-no-color'], dir);
  if (init.status !== 0) return init;
  return terraform(['plan', '-input=false', '-lock=false', '-no-color'], dir);
}
