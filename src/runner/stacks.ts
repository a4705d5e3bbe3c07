/** Where each environment's terraform root is, and which environments a command covers. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { suggest } from '../compiler/diagnostics/suggest.js';

/** Environments = sub-directories holding `.tf` files, sorted by name. */
export async function discoverStacks(stacksDir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(stacksDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const envs: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const files = await readdir(join(stacksDir, e.name));
    if (files.some((f) => f.endsWith('.tf') || f.endsWith('.tf.json'))) envs.push(e.name);
  }
  return envs.sort();
}

export type Selection = { ok: true; envs: string[] } | { ok: false; message: string };

/** `--env a,b` / `--env a --env b` / `--all`, checked against what exists. `system` goes first. */
export function selectEnvs(
  available: readonly string[],
  want: { envs: string[]; all: boolean },
  stacksDir: string,
): Selection {
  if (want.all && want.envs.length) return { ok: false, message: 'give either --env or --all, not both' };
  if (!want.all && want.envs.length === 0)
    return { ok: false, message: 'name an environment with --env E (or --all)' };
  if (available.length === 0)
    return {
      ok: false,
      message: `no terraform stacks under ${stacksDir} (one sub-directory per environment)\nnext: run \`envc compile\`, or pass --stacks DIR`,
    };
  const envs = want.all ? [...available] : [...new Set(want.envs)];
  const unknown = envs.filter((e) => !available.includes(e));
  if (unknown.length) {
    const hints = unknown.map((u) => suggest(u, available)).filter((h): h is string => h !== undefined);
    return {
      ok: false,
      message:
        `no stack for ${unknown.map((u) => `"${u}"`).join(', ')} under ${stacksDir}` +
        `${hints.length ? ` — did you mean ${hints.map((h) => `"${h}"`).join(', ')}?` : ''}` +
        `; environments there: ${available.join(', ')}\nnext: ${hints.length ? `--env ${hints.join(',')}` : 'name one of those with --env, or run `envc compile` after adding it to the spec'}`,
    };
  }
  return { ok: true, envs: orderEnvs(envs) };
}

/** `system` (ArgoCD, the bot, observability) first, then by name. */
export function orderEnvs(envs: readonly string[]): string[] {
  return [...envs].sort((a, b) => (a === 'system' ? -1 : b === 'system' ? 1 : a.localeCompare(b)));
}

/** `-backend-config` for a stack: its backend.hcl when present. */
export function backendConfigOf(stackDir: string): string[] {
  return existsSync(join(stackDir, 'backend.hcl')) ? ['backend.hcl'] : [];
}
