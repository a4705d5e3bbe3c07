// Bundles src/ into dist/ with esbuild. Code splitting keeps every command (and heavy libraries such as
// cdk8s, Bolt, PGlite) in its own chunk, so `envc --version` loads only the CLI core.
// The bundle is built beside dist/ and swapped in, so a test run never sees a half-written dist/.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const tmp = `dist.tmp-${process.pid}`;
const old = `dist.old-${process.pid}`;
await build({
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
// This build's id: a hash of every file in it. Caches of what a build derived (src/cli/model-cache.ts) are
// named by it, so a rebuilt envc never reads an older one's.
const hash = createHash('sha256');
for (const f of readdirSync(tmp, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile())
  .map((d) => join(d.parentPath, d.name))
  .sort())
  hash.update(f.slice(tmp.length)).update(readFileSync(f));
writeFileSync(join(tmp, 'build-id.txt'), `${hash.digest('hex').slice(0, 32)}\n`);
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, { recursive: true, force: true });
