/**
 * Preflight: is this machine ready to run terraform on these stacks? Checked before any `terraform init`,
 * all at once and in well under a second, so a first `envc plan` without credentials or without a
 * registry says exactly what is missing (one problem, one fix each) instead of terraform's raw errors
 * after 48 s. Checks: terraform present and new enough; provider credentials (LINODE_TOKEN) and state
 * backend keys; each provider installable (already in the stack's .terraform/, in a plugin cache
 * (TF_PLUGIN_CACHE_DIR or the CLI config's plugin_cache_dir), a filesystem or network mirror from the
 * CLI config's provider_installation, or from a reachable registry); the state bucket's endpoint reachable.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { installedTerraform } from './terraform.js';

export interface StackNeeds {
  /** Provider sources as `host/namespace/name` (registry.terraform.io when the source has no host). */
  providers: string[];
  /** `>= x.y.z` from required_version, when there is one. */
  minTerraform?: string;
  backend?: { type: string; endpoint?: string; bucket?: string };
  /**
   * Sensitive root variables with no default that neither terraform.tfvars.json nor an earlier root's
   * outputs (phases.json) supply: only the operator has them, as TF_VAR_<name> (e.g. Alertmanager's webhook).
   */
  operatorInputs?: Array<{ name: string; description: string }>;
}

export interface Problem {
  /** What is missing, in one line. */
  what: string;
  /** The fix, in one line. */
  next: string;
}

/** What the CLI configuration (TF_CLI_CONFIG_FILE / ~/.terraformrc) offers for installing providers. */
export interface CliConfig {
  pluginCacheDir?: string;
  filesystemMirrors: string[];
  networkMirrors: string[];
}

export interface Probes {
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
  /** Whether anything answers HTTP(S) at `url` within `timeoutMs` (any status counts: it is reachable). */
  reachable(url: string, timeoutMs: number): Promise<boolean>;
  /** `terraform version`'s version, or undefined when the binary is missing. */
  terraformVersion(): Promise<string | undefined>;
  cliConfig: CliConfig;
}

const BUILTIN = /^(terraform\.io\/builtin\/|builtin\/)/;

function block(text: string, head: RegExp): string | undefined {
  const m = head.exec(text);
  if (!m) return undefined;
  let depth = 0;
  const start = text.indexOf('{', m.index);
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start + 1, i);
  }
  return undefined;
}

/** Reads what a stack needs from its `.tf` files and backend.hcl (pure: the texts are passed in). */
export function stackNeeds(
  tfTexts: readonly string[],
  backendHcl = '',
  supplied: ReadonlySet<string> = new Set(),
): StackNeeds {
  const providers = new Set<string>();
  const operatorInputs: Array<{ name: string; description: string }> = [];
  let minTerraform: string | undefined;
  let backend: StackNeeds['backend'];
  for (const text of tfTexts) {
    const req = block(text, /required_providers\s*\{/);
    if (req)
      for (const m of req.matchAll(/source\s*=\s*"([^"]+)"/g)) {
        const src = m[1]!;
        if (BUILTIN.test(src)) continue;
        providers.add(src.split('/').length === 2 ? `registry.terraform.io/${src}` : src);
      }
    const v = /required_version\s*=\s*"[^"]*>=\s*([0-9]+(?:\.[0-9]+){0,2})/.exec(text);
    if (v) minTerraform = v[1];
    const b = /backend\s+"([a-z0-9_]+)"\s*\{/.exec(text);
    if (b) backend = { type: b[1]! };
    for (const m of text.matchAll(/^variable\s+"([\w-]+)"\s*\{/gm)) {
      const body = block(text.slice(m.index), /^variable/) ?? '';
      if (!/\bsensitive\s*=\s*true\b/.test(body) || /^\s*default\s*=/m.test(body)) continue;
      if (supplied.has(m[1]!)) continue;
      operatorInputs.push({
        name: m[1]!,
        description: /\bdescription\s*=\s*"([^"]*)"/.exec(body)?.[1] ?? '',
      });
    }
  }
  if (backend?.type === 's3') {
    const endpoint =
      /\bs3\s*=\s*"([^"]+)"/.exec(backendHcl)?.[1] ?? /\bendpoint\s*=\s*"([^"]+)"/.exec(backendHcl)?.[1];
    const bucket = /\bbucket\s*=\s*"([^"]+)"/.exec(backendHcl)?.[1];
    backend = { type: 's3', ...(endpoint ? { endpoint } : {}), ...(bucket ? { bucket } : {}) };
  }
  return {
    providers: [...providers].sort(),
    ...(minTerraform ? { minTerraform } : {}),
    ...(backend ? { backend } : {}),
    ...(operatorInputs.length ? { operatorInputs } : {}),
  };
}

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

const TIMEOUT_MS = 800;

/**
 * Every problem with running terraform on stacks that need `needs` (several stacks: merge their needs),
 * checked concurrently. `stackDirs` are searched for providers an earlier `terraform init` installed.
 */
export async function checkReadiness(
  needs: StackNeeds,
  stackDirs: readonly string[],
  p: Probes,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const env = p.env;
  const tfBin = env.ENVC_TERRAFORM ?? 'terraform';
  const version = p.terraformVersion();
  const endpointUp =
    needs.backend?.type === 's3' && needs.backend.endpoint
      ? p.reachable(needs.backend.endpoint, TIMEOUT_MS)
      : Promise.resolve(true);
  const linode = needs.providers.some((s) => s.endsWith('/linode/linode'));
  if (linode && !env.LINODE_TOKEN)
    problems.push({
      what: 'LINODE_TOKEN is not set: the linode provider cannot call the Linode API',
      next: 'create a personal access token (Cloud Manager → API Tokens) and export LINODE_TOKEN=…',
    });
  for (const input of needs.operatorInputs ?? [])
    if (!env[`TF_VAR_${input.name}`])
      problems.push({
        what: `TF_VAR_${input.name} is not set${input.description ? `: ${input.description.replace(/\.$/, '')}` : ''}`,
        next: `export TF_VAR_${input.name}=… (in CI: the repository secret the generated workflows pass as TF_VAR_${input.name})`,
      });
  const s3 = needs.backend?.type === 's3';
  const keys =
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
    (env.LINODE_OBJ_ACCESS_KEY && env.LINODE_OBJ_SECRET_KEY) ||
    env.AWS_PROFILE;
  if (s3 && !keys)
    problems.push({
      what: `no Object Storage keys for the state bucket${needs.backend?.bucket ? ` ${needs.backend.bucket}` : ''} (terraform would try AWS's metadata service and fail slowly)`,
      next: 'export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a Linode Object Storage key limited to the state bucket)',
    });

  // Providers: found locally, or installable from a mirror or the registry.
  const local = (src: string) => {
    const dirs = [
      ...stackDirs.map((d) => join(d, '.terraform', 'providers')),
      ...(env.TF_PLUGIN_CACHE_DIR ? [env.TF_PLUGIN_CACHE_DIR] : []),
      ...(p.cliConfig.pluginCacheDir ? [p.cliConfig.pluginCacheDir] : []),
      ...p.cliConfig.filesystemMirrors,
      join(homedir(), '.terraform.d', 'plugins'),
    ];
    return dirs.some((d) => p.exists(join(d, src)));
  };
  const missing = needs.providers.filter((src) => !local(src));
  const hosts = [...new Set(missing.map((s) => s.split('/')[0]!))];
  const reach = await Promise.all([
    ...p.cliConfig.networkMirrors.map((u) => p.reachable(u, TIMEOUT_MS)),
    ...hosts.map((h) => p.reachable(`https://${h}/.well-known/terraform.json`, TIMEOUT_MS)),
  ]);
  const mirrorUp = reach.slice(0, p.cliConfig.networkMirrors.length).some(Boolean);
  const hostUp = new Map(hosts.map((h, i) => [h, reach[p.cliConfig.networkMirrors.length + i]!]));
  const uninstallable = mirrorUp ? [] : missing.filter((s) => !hostUp.get(s.split('/')[0]!));
  if (uninstallable.length)
    problems.push({
      what: `cannot install provider${uninstallable.length > 1 ? 's' : ''} ${uninstallable.map((s) => s.replace(/^registry\.terraform\.io\//, '')).join(', ')}: ${[...new Set(uninstallable.map((s) => s.split('/')[0]))].join(', ')} did not answer within ${TIMEOUT_MS} ms, and no plugin cache or mirror has them`,
      next: 'allow HTTPS to the registry, or point TF_PLUGIN_CACHE_DIR (or a provider_installation mirror in TF_CLI_CONFIG_FILE) at a directory holding them — see docs/terraform-setup.md',
    });

  if (!(await endpointUp))
    problems.push({
      what: `the state bucket's endpoint ${needs.backend?.endpoint} did not answer within ${TIMEOUT_MS} ms`,
      next: 'check the network (or the stateBackend endpoint in the spec); envc cannot read or lock state without it',
    });

  const have = await version;
  if (!have)
    problems.unshift({
      what: `terraform is not installed (looked for "${tfBin}" on PATH)`,
      next: 'install terraform 1.5 or later (https://developer.hashicorp.com/terraform/install), or set ENVC_TERRAFORM to its path',
    });
  else if (needs.minTerraform && !versionAtLeast(have, needs.minTerraform))
    problems.unshift({
      what: `terraform ${have} is older than the stacks require (>= ${needs.minTerraform})`,
      next: `install terraform ${needs.minTerraform} or later, or set ENVC_TERRAFORM to a newer binary`,
    });
  return problems;
}

/** A stack directory's Terraform roots: itself, or its phase roots (`cluster/`, `platform/`) when it has no .tf. */
function rootsOf(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) return [dir];
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .filter((d) => readdirSync(d).some((f) => f.endsWith('.tf')))
    .sort();
}

/** Variables a root gets without the operator: its terraform.tfvars.json and its phase inputs (phases.json). */
function suppliedVariables(dir: string): Set<string> {
  const out = new Set<string>();
  const read = (file: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  for (const k of Object.keys(read(join(dir, 'terraform.tfvars.json')) ?? {})) out.add(k);
  const phases = read(join(dir, '..', 'phases.json'))?.phases;
  if (Array.isArray(phases))
    for (const ph of phases as Array<{ dir?: string; inputs?: Record<string, unknown> }>)
      if (ph.dir === basename(dir)) for (const k of Object.keys(ph.inputs ?? {})) out.add(k);
  return out;
}

/** The stacks' needs, merged (a provider needed by any stack is needed). */
export function readStackNeeds(stackDirs: readonly string[]): StackNeeds {
  const merged: StackNeeds = { providers: [] };
  const providers = new Set<string>();
  for (const dir of stackDirs.flatMap(rootsOf)) {
    const tf = readdirSync(dir)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const hcl = existsSync(join(dir, 'backend.hcl')) ? readFileSync(join(dir, 'backend.hcl'), 'utf8') : '';
    const n = stackNeeds(tf, hcl, suppliedVariables(dir));
    for (const i of n.operatorInputs ?? [])
      if (!merged.operatorInputs?.some((x) => x.name === i.name))
        merged.operatorInputs = [...(merged.operatorInputs ?? []), i];
    for (const s of n.providers) providers.add(s);
    if (n.minTerraform && (!merged.minTerraform || versionAtLeast(n.minTerraform, merged.minTerraform)))
      merged.minTerraform = n.minTerraform;
    if (n.backend && !merged.backend) merged.backend = n.backend;
  }
  merged.providers = [...providers].sort();
  return merged;
}

/** The CLI configuration's provider settings (TF_CLI_CONFIG_FILE, else ~/.terraformrc). */
export function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const file = env.TF_CLI_CONFIG_FILE ?? join(homedir(), '.terraformrc');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const cache = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text)?.[1];
  const install = block(text, /provider_installation\s*\{/) ?? '';
  const mirrors = (kind: string, key: string) =>
    [...install.matchAll(new RegExp(`${kind}\\s*\\{[^}]*${key}\\s*=\\s*"([^"]+)"`, 'g'))].map((m) => m[1]!);
  return {
    ...(cache ? { pluginCacheDir: cache.replace(/^~(?=\/)/, homedir()) } : {}),
    filesystemMirrors: mirrors('filesystem_mirror', 'path'),
    networkMirrors: mirrors('network_mirror', 'url'),
  };
}

/** The real machine: files, HTTPS with a deadline, `terraform version -json`. */
export function machineProbes(env: NodeJS.ProcessEnv): Probes {
  return {
    env,
    exists: existsSync,
    cliConfig: readCliConfig(env),
    reachable: async (url, timeoutMs) => {
      try {
        await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        return true;
      } catch {
        return false;
      }
    },
    terraformVersion: async () => (await installedTerraform(env.ENVC_TERRAFORM ?? 'terraform', env)).version,
  };
}
