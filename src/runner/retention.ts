/**
 * Retention of what plans leave under `.envc/`: saved plan files (`plans/<env>/<digest>.tfplan`) and
 * rollback trees (`rollback/<env>-<commit12>-<nonce>/`, each with its own `.terraform/` and providers).
 * After a successful apply the newest `keep` of each kind are kept per environment, and always those an
 * approval could still apply (a pending, approved or applying request) and the environment's latest plan.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ApprovalRequestStatus, Store } from '../store/types.js';
import { storedSummary } from './plan.js';

export const DEFAULT_KEEP = 5;

/** Requests whose plan may still be applied: their files must stay. */
const REFERENCING: readonly ApprovalRequestStatus[] = ['pending', 'approved', 'applying'];

export interface RetentionDeps {
  store: Store;
  /** envc's working area (`.envc/`). */
  workDir: string;
  /** How many plan files and rollback trees to keep per environment (default DEFAULT_KEEP). */
  retention?: { keep: number };
}

/** Removes old plan files and rollback trees of `env`; returns what was removed (absolute paths). */
export async function pruneWorkDir(deps: RetentionDeps, env: string): Promise<string[]> {
  const keep = Math.max(1, deps.retention?.keep ?? DEFAULT_KEEP);
  const protectedPaths = await referencedPaths(deps.store, env);
  const isProtected = (p: string) => protectedPaths.some((q) => q === p || isInside(q, p));

  const plans = await entries(join(deps.workDir, 'plans', env), (n) => /^[0-9a-f]{64}\.tfplan$/.test(n));
  const trees = await entries(join(deps.workDir, 'rollback'), (n) => treeName(env).test(n));
  const doomed = [...plans.slice(keep), ...trees.slice(keep)].filter((p) => !isProtected(p));
  for (const p of doomed) await rm(p, { recursive: true, force: true });
  return doomed;
}

/** `<env>-<12 hex>-<6 hex>`, exactly: `prod-eu-…` is not a tree of `prod`. */
function treeName(env: string): RegExp {
  return new RegExp(`^${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{12}-[0-9a-f]{6}$`);
}

/** Plan files and work dirs (possibly inside a rollback tree) that an apply may still need. */
async function referencedPaths(store: Store, env: string): Promise<string[]> {
  const requests = await store.listApprovalRequests({ env, status: REFERENCING });
  const plans = await Promise.all(requests.map((r) => store.getPlanByDigest(env, r.digest)));
  plans.push(await store.latestPlan(env));
  const out: string[] = [];
  for (const p of plans) {
    if (!p) continue;
    out.push(resolve(p.planPath));
    const workdir = storedSummary(p).workdir;
    if (typeof workdir === 'string') out.push(resolve(workdir));
  }
  return out;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}

/** Matching entries of `dir`, newest first (by modification time; missing dir: none). */
async function entries(dir: string, match: (name: string) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found = await Promise.all(
    names.filter(match).map(async (n) => {
      const path = resolve(dir, n);
      // Gone in the meantime (another process pruned it): nothing to do.
      const mtime = await stat(path).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      return mtime === undefined ? undefined : { path, mtime };
    }),
  );
  return found
    .filter((f) => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime || b.path.localeCompare(a.path))
    .map((f) => f.path);
}
