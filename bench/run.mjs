// `npm run bench`: runs every bench/*.bench.mjs in turn. Each prints its own figures (medians, ratios
// against a baseline measured in the same run). Pass names to run a subset: `npm run bench -- compile`.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) => (a.startsWith('compile') ? -1 : b.startsWith('compile') ? 1 : a.localeCompare(b)));
const log = (line = '') => process.stdout.write(`${line}\n`);
log(`envc bench — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
let failed = 0;
for (const f of files) {
  log(`\n## ${f.replace('.bench.mjs', '')}`);
  try {
    const mod = await import(new URL(f, import.meta.url).href);
    await mod.bench({ log });
  } catch (err) {
    failed++;
    log(`  FAILED: ${err.message}`);
  }
}
process.exit(failed ? 1 : 0);
