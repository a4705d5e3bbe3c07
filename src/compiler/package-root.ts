import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The envc package root (the directory holding its package.json), found from this module's location so it
 * works both from src/ (vitest) and from the dist/ bundle. Schemas and templates are read relative to it.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'envc') {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the envc package root (package.json named "envc")');
    dir = up;
  }
}

export function packagePath(rel: string): string {
  return join(packageRoot(), rel);
}
