/** The few git reads plans, rollback and backups need (node:child_process; no shell). */
import { execFile } from 'node:child_process';

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 127
        : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--show-toplevel'], cwd);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const r = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export async function showFile(repo: string, commit: string, path: string): Promise<string | undefined> {
  const r = await git(['show', `${commit}:${path}`], repo);
  return r.code === 0 ? r.stdout : undefined;
}

/** Files under `path` at `commit`, relative to the repository root. */
export async function listFiles(repo: string, commit: string, path: string): Promise<string[]> {
  const r = await git(['ls-tree', '-r', '--name-only', commit, '--', path], repo);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/**
 * The commit plans are made from: ENVC_GIT_COMMIT, else GITHUB_SHA (CI checks out detached trees and may
 * build elsewhere), else `git rev-parse HEAD` of the repository holding `dir` (the spec's directory), else
 * undefined. Resolved once, on first use, however many environments a command plans.
 */
export function revisionResolver(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<string | undefined> {
  let resolved: Promise<string | undefined> | undefined;
  return () => {
    resolved ??= (async () => {
      for (const v of [env.ENVC_GIT_COMMIT, env.GITHUB_SHA]) if (v?.trim()) return v.trim();
      const r = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], dir);
      const commit = r.stdout.trim();
      return r.code === 0 && commit !== '' ? commit : undefined;
    })();
    return resolved;
  };
}

/** HEAD's commit as `revisionResolver` finds it, or "unknown" (state backups' metadata). */
export async function headCommit(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return (await revisionResolver(cwd, env)()) ?? 'unknown';
}
