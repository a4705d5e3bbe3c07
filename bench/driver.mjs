// Bundles a small driver from src/ with esbuild (the bundler `npm run build` uses) into node_modules/.cache, for
// the benches that time code without an entry point of its own in dist/. Every driver raises the spec limits
// (src/compiler/limits.ts) in its own process first: the scaling benches build 100 environments × 30
// services, above the 32 environments ENVC0012 allows a real spec. Nothing outside the bench sees the change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { root } from './lib.mjs';

/** Large enough for the biggest bench spec (100 environments × 30 services); the other limits stay. */
export const BENCH_LIMITS = { maxEnvironments: 128, maxNodes: 1_000_000, maxBytes: 64 * 1024 * 1024 };

const RAISE = `
import { LIMITS as __limits } from '../../../src/compiler/limits.ts';
Object.assign(__limits, ${JSON.stringify(BENCH_LIMITS)});
`;

/**
 * Bundles `source` (imports are relative to node_modules/.cache/envc-bench/) as `<name>.mjs`, with the limits
 * raised, and returns the path of the bundle.
 */
export async function bundleDriver(name, source) {
  const dir = join(root, 'node_modules', '.cache', 'envc-bench');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name}.ts`);
  // The raise is its own module, imported first: ES modules evaluate in import order.
  writeFileSync(join(dir, 'raise-limits.ts'), RAISE);
  writeFileSync(entry, `import './raise-limits.ts';\n${source}`);
  const out = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'error',
    // Some dependencies are CommonJS and require() at run time.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return out;
}

/** Bundles `source` and imports it into this process. */
export async function loadDriver(name, source) {
  const out = await bundleDriver(name, source);
  return import(`${out}?${Date.now()}`);
}

/**
 * The CLI from src/ with the limits raised, as one file a fresh `node` runs like bin/envc.js: the compile bench
 * times whole `envc compile` processes for the large specs with it.
 */
export function bundleCli() {
  return bundleDriver(
    'cli-driver',
    "import { run } from '../../../src/cli/main.ts';\nrun(process.argv.slice(2));\n",
  );
}
