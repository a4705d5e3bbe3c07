import { execSync } from 'node:child_process';
import { test } from 'vitest';
import { compileSpec } from '../pipeline.js';
import { printBringUp } from './bringup.js';
import { verifyPlatform } from './verify.js';

test('x', async () => {
  const r = await compileSpec('/work/wt/B/environments.yaml', { displayName: 'environments.yaml' });
  const branch = process.env.BR ?? 'w-A1';
  const paths = execSync(`git ls-tree -r --name-only ${branch} -- generated`).toString().trim().split('\n');
  const files = paths.map((p) => ({
    path: p.slice('generated/'.length),
    content: execSync(`git show ${branch}:${p}`, { maxBuffer: 1e8 }).toString(),
  }));
  const v = verifyPlatform(r.model!, files, { bootstrapsStateBucket: true });
  console.log(
    printBringUp(v.bringUp)
      .split('\n')
      .filter((l) => !l.startsWith('     '))
      .join('\n'),
  );
  for (const d of v.diagnostics) console.log(d.line, d.code, d.message.slice(0, 300));
}, 300000);
