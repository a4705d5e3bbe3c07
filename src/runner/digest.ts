/**
 * The plan digest: one sha256 (hex) that an approval names. It covers the environment's whole change — the
 * normalized planned Terraform changes and the generated Kubernetes and Helm files — so an approval cannot be
 * reused for a plan that differs in either layer. Volatile parts of `terraform show -json` (timestamps,
 * versions, prior state, configuration echo, no-op and read entries) are left out, so planning the same change
 * twice gives the same digest.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanJson } from './steps/show.js';
import { actionOf } from './summary.js';

export const DIGEST_VERSION = 1;

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** JSON with object keys sorted at every level: the same value always serializes to the same bytes. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/** The planned changes that matter, in address order. */
export function normalizeChanges(plan: PlanJson): unknown {
  const resources = (plan.resource_changes ?? [])
    .filter((rc) => {
      const a = actionOf(rc.change?.actions ?? []);
      return a !== undefined && a !== 'read';
    })
    .map((rc) => ({
      address: rc.address,
      mode: rc.mode,
      type: rc.type,
      provider: rc.provider_name,
      actions: rc.change.actions,
      before: rc.change.before,
      after: rc.change.after,
      after_unknown: rc.change.after_unknown,
      replace_paths: rc.change.replace_paths,
    }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => actionOf(c.actions ?? []) !== undefined)
    .map(([name, c]) => ({
      name,
      actions: c.actions,
      before: c.before,
      after: c.after,
      after_unknown: c.after_unknown,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { resources, outputs };
}

/** sha256 over a directory tree: sorted relative paths with the sha256 of each file. Absent → hash of nothing. */
export async function hashTree(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === 'ENOENT' ||
        (err as NodeJS.ErrnoException).code === 'ENOTDIR'
      )
        return;
      throw err;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) lines.push(`${p}\0${sha256(await readFile(join(dir, p)))}`);
    }
  };
  await walk('');
  lines.sort();
  return sha256(lines.join('\n'));
}

export interface GeneratedHashes {
  kubernetes: string;
  helm: string;
}

/** The environment's generated Kubernetes manifests and Helm values (generated/kubernetes/<env>, generated/helm/values/<env>). */
export async function generatedHashes(
  generatedDir: string | undefined,
  env: string,
): Promise<GeneratedHashes> {
  if (!generatedDir) return { kubernetes: sha256(''), helm: sha256('') };
  const [kubernetes, helm] = await Promise.all([
    hashTree(join(generatedDir, 'kubernetes', env)),
    hashTree(join(generatedDir, 'helm', 'values', env)),
  ]);
  return { kubernetes, helm };
}

/**
 * `phases`: for an environment of two roots (cluster, platform), which roots were planned and the
 * configuration hash of a root whose plan had to wait for the one before it — so the approval covers it too.
 * Absent for a single root, whose digest stays what it always was.
 */
export function planDigest(
  env: string,
  plan: PlanJson,
  generated: GeneratedHashes,
  phases?: unknown,
): string {
  const body: Record<string, unknown> = {
    v: DIGEST_VERSION,
    env,
    changes: normalizeChanges(plan),
    generated,
  };
  if (phases !== undefined) body.phases = phases;
  return sha256(canonicalJson(body));
}
