// `npm run fuzz [-- --seed N --cases N --hang-ms N --only I --write FILE --json]`: bundles the campaign
// (test/fuzz/campaign.ts) with esbuild into .fuzz/ and runs it. See docs/fuzz.md.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: ['test/fuzz/campaign.ts'],
  outfile: '.fuzz/campaign.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['.fuzz/campaign.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 2);
