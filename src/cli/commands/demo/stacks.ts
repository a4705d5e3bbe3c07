/**
 * Pure: the offline stand-in stacks of `envc demo`. For every environment, one Terraform root with the same
 * module and resource layout as generated/terraform/environments/<env> (addresses taken from
 * generated/manifest.json's source map), where each real resource is a built-in `terraform_data` named
 * `<type>__<name>` inside the same module, holding the real address and the environment's settings from
 * terraform.tfvars.json — so init/plan/apply run with no provider download and no network, and plans show
 * the real shape: `module.cluster.linode_lke_cluster.this` → `module.cluster.terraform_data.linode_lke_cluster__this`.
 * Secret-bearing resources get a sensitive input, so the plan page's masking is exercised too.
 * `tfvars` is each environment's terraform.tfvars.json (both roots' merged, for a two-root environment).
 */
export interface StandInFile {
  path: string;
  content: string;
}

interface Parsed {
  module?: string;
  type: string;
  name: string;
  key?: string;
}

export function parseAddress(address: string): Parsed | undefined {
  const m = address.match(/^(?:module\.([a-z0-9_]+)\.)?([a-z0-9_]+)\.([a-z0-9_]+)(?:\[(.+)\])?$/);
  if (!m || m[2] === 'data') return undefined;
  return {
    ...(m[1] ? { module: m[1] } : {}),
    type: m[2]!,
    name: m[3]!,
    ...(m[4] !== undefined ? { key: m[4] } : {}),
  };
}

const SECRET_TYPES = /secret|password|token|key/;
const HEADER =
  '# envc demo stand-in: terraform_data only (offline); same modules and names as the generated stack.\n';

function resourceBlock(
  r: { type: string; name: string; keys: string[]; real: string },
  settings: string,
): string {
  const sensitive = SECRET_TYPES.test(r.type);
  const counted = r.keys.length > 0 && r.keys.every((k) => /^\d+$/.test(k));
  const iter =
    r.keys.length === 0
      ? ''
      : counted
        ? `  count = ${r.keys.length}\n`
        : `  for_each = toset([${r.keys.map((k) => k).join(', ')}])\n`;
  const input = [
    `    stands_in_for = "${r.real.replace(/"/g, '\\"')}"`,
    `    settings      = ${settings}`,
    ...(sensitive ? ['    secret        = var.demo_secret'] : []),
  ].join('\n');
  return `resource "terraform_data" "${r.type}__${r.name}" {\n${iter}  input = {\n${input}\n  }\n}\n`;
}

/** Extra resources for a large change (bench and browser tests): `module.cluster.terraform_data.node["n-i"]`. */
function scaleBlock(n: number): string {
  return `resource "terraform_data" "node" {\n  for_each = toset([for i in range(${n}) : format("n-%03d", i)])\n  input = {\n    name  = each.key\n    pool  = "general"\n    size  = "g6-standard-4"\n  }\n}\n`;
}

export function standInStacks(
  manifest: { files?: Record<string, { sources?: Array<{ resource: string }> }> },
  tfvars: Record<string, string>,
  opts: { scale?: Record<string, number> } = {},
): StandInFile[] {
  const byEnv = new Map<
    string,
    Map<string, Map<string, { type: string; name: string; keys: string[]; real: string }>>
  >();
  for (const [file, entry] of Object.entries(manifest.files ?? {})) {
    // One stand-in root per environment, holding the resources of its real root(s) — `<env>/main.tf`, or the
    // two roots `<env>/cluster/main.tf` and `<env>/platform/main.tf` (docs/adr/0009; their addresses do not
    // collide). The real split exists so the platform root's providers can read the cluster it needs, and
    // it takes inputs from other environments (the system cluster's Argo CD); stand-ins need neither.
    const env = file.match(/^terraform\/environments\/([^/]+)\/(?:(?:cluster|platform)\/)?main\.tf$/)?.[1];
    if (!env) continue;
    const modules = byEnv.get(env) ?? new Map();
    byEnv.set(env, modules);
    for (const s of entry.sources ?? []) {
      const p = parseAddress(s.resource);
      if (!p) continue;
      const mod = p.module ?? '';
      const res = modules.get(mod) ?? new Map();
      modules.set(mod, res);
      const id = `${p.type}.${p.name}`;
      const r = res.get(id) ?? {
        type: p.type,
        name: p.name,
        keys: [],
        real: s.resource.replace(/\[.*\]$/, ''),
      };
      if (p.key !== undefined && !r.keys.includes(p.key)) r.keys.push(p.key);
      res.set(id, r);
    }
  }
  const files: StandInFile[] = [];
  for (const env of [...byEnv.keys()].sort()) {
    const modules = byEnv.get(env)!;
    const settings = (mod: string) => `try(local.tfvars["${mod}"], null)`;
    let root = `${HEADER}terraform {\n  required_version = ">= 1.5.0"\n  backend "local" {}\n}\n\nvariable "demo_secret" {\n  type      = string\n  sensitive = true\n  default   = "stand-in-secret-value"\n}\n\nlocals {\n  tfvars = jsondecode(file("\${path.module}/settings.json"))\n}\n`;
    for (const mod of [...modules.keys()].sort()) {
      const blocks = [...modules.get(mod)!.values()].map((r) =>
        resourceBlock(r, mod ? 'var.settings' : settings(r.name)),
      );
      if (!mod) {
        root += `\n${blocks.join('\n')}`;
        continue;
      }
      const extra = mod === 'cluster' && opts.scale?.[env] ? `\n${scaleBlock(opts.scale[env]!)}` : '';
      files.push({
        path: `${env}/modules/${mod}/main.tf`,
        content: `${HEADER}variable "settings" {\n  type = any\n}\n\nvariable "demo_secret" {\n  type      = string\n  sensitive = true\n}\n\n${blocks.join('\n')}${extra}`,
      });
      const key = mod === 'network' ? 'firewall' : mod;
      root += `\nmodule "${mod}" {\n  source      = "./modules/${mod}"\n  settings    = ${settings(key)}\n  demo_secret = var.demo_secret\n}\n`;
    }
    files.push({ path: `${env}/main.tf`, content: root });
    files.push({ path: `${env}/backend.hcl`, content: '# local backend: state beside the stack\n' });
    files.push({ path: `${env}/settings.json`, content: tfvars[env] ?? '{}' });
  }
  return files;
}
