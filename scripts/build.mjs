// Bundles src/ into dist/ with esbuild. Code splitting keeps every command (and heavy libraries such as
// cdk8s, Bolt, PGlite) in its own chunk, so `envc --version` loads only the CLI core.
// The bundle is built beside dist/ and swapped in, so a test run never sees a half-written dist/.

import { existsSync, renameSync, rmSync } from 'node:fs';
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
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, { recursive: true, force: true });
