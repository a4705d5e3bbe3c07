/**
 * The layering rule of docs/adr (DESIGN.md "Layers"): front ends (the CLI, the Slack bot, the web pages) adapt the
 * services; nothing below a front end imports one. The import graph is read by esbuild — the bundler that builds
 * dist/ — so static imports, `import type` and lazy `import()` are all seen exactly as the build sees them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const FRONT_ENDS = ['cli', 'bot', 'web'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a file belongs to ('' for files directly under src/). */
function area(file: string): string {
  const rel = relative('src', file);
  return rel.includes('/') ? (rel.split('/')[0] ?? '') : '';
}

async function importGraph(): Promise<Map<string, { path: string; kind: string }[]>> {
  const result = await build({
    // One entry that imports every source file: a single bundle, whose metafile lists every file's imports.
    stdin: {
      contents: sources(SRC)
        .map((f) => `import ${JSON.stringify(`./${relative(ROOT, f)}`)};`)
        .join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: join(ROOT, '.layers-out.js'),
    logLevel: 'silent',
    // esbuild erases `import type`; a type-only import still ties a service to a front end, so read it as an import.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    plugins: [
      {
        name: 'type-imports-count',
        setup(b) {
          b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8')
              .replace(/\bimport type\s/g, 'import ')
              .replace(/\bexport type\s*\{/g, 'export {'),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const graph = new Map<string, { path: string; kind: string }[]>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith('src/')) continue;
    graph.set(
      file,
      input.imports.filter((i) => i.path.startsWith('src/')).map((i) => ({ path: i.path, kind: i.kind })),
    );
  }
  return graph;
}

describe('layers', () => {
  it('no service imports a front end (cli, bot, web), statically or lazily', async () => {
    process.chdir(ROOT);
    const graph = await importGraph();
    // The graph must be the real one: the CLI's entry reaches the compiler, the bot reaches the store.
    expect(graph.get('src/cli/main.ts')?.length).toBeGreaterThan(0);
    expect(graph.size).toBeGreaterThan(200);
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      if (FRONT_ENDS.includes(area(file))) continue;
      for (const i of imports) {
        if (FRONT_ENDS.includes(area(i.path))) wrong.push(`${file} → ${i.path} (${i.kind})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sees a wrong-way import when one exists (the check is not vacuous)', async () => {
    process.chdir(ROOT);
    const graph = await importGraph();
    // The CLI imports services — the allowed direction — so the same walk finds edges across areas.
    const cliToServices = [...graph]
      .filter(([f]) => area(f) === 'cli')
      .flatMap(([, imports]) => imports)
      .filter((i) => !FRONT_ENDS.includes(area(i.path)));
    expect(cliToServices.length).toBeGreaterThan(10);
  });
});
